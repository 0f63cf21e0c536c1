package com.pyerp.deployaction.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.Workspace;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code previous-image}: read for {@code command: rollback} only, and only as an image by digest. */
class PreviousImageInputTest {

    private static final String IMAGE = "ghcr.io/acme/pyerp@sha256:" + "0123456789abcdef".repeat(4);

    @TempDir
    Path directory;

    private DeploySettings deploy(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return new Configuration(Inputs.from(env, Map.of()), new Workspace(directory, null), Map.of(),
                ContextSource.WORKFLOW).deploy();
    }

    @Test
    void aRollbackTakesAnImageByDigestOrNone() {
        assertEquals(IMAGE, deploy("INPUT_COMMAND", "rollback", "INPUT_PREVIOUS-IMAGE", IMAGE).previousImage());
        assertEquals("", deploy("INPUT_COMMAND", "rollback").previousImage());
    }

    @Test
    void anythingElseIsRefusedByName() {
        ActionException tag = assertThrows(ActionException.class, () -> deploy("INPUT_COMMAND", "rollback",
                "INPUT_PREVIOUS-IMAGE", "ghcr.io/acme/pyerp:v1"));
        assertEquals("Invalid input: previous-image", tag.title());
        assertEquals("Input 'previous-image' is 'ghcr.io/acme/pyerp:v1', but it must be an image by digest,"
                + " name@sha256:<64 hex digits>, such as the previous-image output of the deploy you undo. Set it in the step's 'with:' block (or pass"
                + " --previous-image=VALUE on the command line).", tag.getMessage());
        ActionException pipeline = assertThrows(ActionException.class, () -> deploy("INPUT_PREVIOUS-IMAGE", IMAGE));
        assertEquals("Input 'previous-image' is '" + IMAGE + "', but it must be empty unless command is rollback: only"
                + " a rollback reads it. Set it in the step's 'with:' block (or pass --previous-image=VALUE on the command"
                + " line).", pipeline.getMessage());
    }
}
