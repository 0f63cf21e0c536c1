package com.pyerp.deployaction.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.action.ActionException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void nameValuePairs() {
        CommandLine commandLine = CommandLine.parse("--push=false", "--tags=type=sha,format=long", "--sep-tags=");
        assertEquals(Map.of(Input.PUSH, "false", Input.TAGS, "type=sha,format=long", Input.SEP_TAGS, ""),
                commandLine.values());
    }

    @Test
    void unknownInputsSuggestTheClosestName() {
        ActionException e = assertThrows(ActionException.class, () -> CommandLine.parse("--ssh-hots=a"));
        assertEquals("There is no input 'ssh-hots' (did you mean --ssh-host?). Run with --help to list the inputs.",
                e.getMessage());
    }

    @Test
    void argumentsWithoutAValueAreRejected() {
        ActionException e = assertThrows(ActionException.class, () -> CommandLine.parse("--push"));
        assertTrue(e.getMessage().startsWith("'--push' is not of the form --name=value."));
    }

    @Test
    void usageListsEveryInputWithItsDescriptionAndDefault() {
        ActionManifest manifest = ActionManifest.load();
        String usage = CommandLine.usage(manifest);
        for (ActionManifest.Parameter input : manifest.inputs()) {
            assertTrue(usage.contains("\n  --" + input.name() + "=VALUE\n"), input.name());
        }
        assertTrue(usage.contains("      default: auto\n"));
        String flowing = usage.replaceAll("\\s+", " ");
        for (ActionManifest.Parameter parameter : manifest.inputs()) {
            assertTrue(flowing.contains(parameter.description().replaceAll("\\s+", " ")), parameter.name());
        }
    }
}
