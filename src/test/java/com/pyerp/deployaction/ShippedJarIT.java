package com.pyerp.deployaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.config.ActionManifest;
import com.pyerp.deployaction.testing.Processes;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar, run the way action.yml runs it. */
class ShippedJarIT {

    private static final String JAR = System.getProperty("shippedJar");

    @TempDir
    Path dir;

    @Test
    void helpExitsZeroAndListsEveryInputOfActionYml() throws Exception {
        Processes.Result help = Processes.run("java", "-jar", JAR, "--help");
        assertEquals(0, help.exitCode(), help.output());
        try (InputStream in = Files.newInputStream(Path.of("action.yml"))) {
            for (ActionManifest.Parameter input : ActionManifest.parse(in).inputs()) {
                assertTrue(help.output().contains("--" + input.name() + "=VALUE"), input.name());
            }
        }
    }

    @Test
    void invalidPushIsOneErrorLineWithoutJavaNoise() throws Exception {
        Path output = Files.createFile(dir.resolve("output"));
        Processes.Result result = Processes.run(List.of("java", "-jar", JAR), Map.of(
                "GITHUB_ACTIONS", "true", "GITHUB_OUTPUT", output.toString(), "INPUT_PUSH", "maybe"));
        assertEquals(1, result.exitCode());
        List<String> errors = result.output().lines().filter(line -> line.startsWith("::error")).toList();
        assertEquals(1, errors.size(), result.output());
        assertTrue(errors.get(0).startsWith("::error title=Invalid input%3A push::Input 'push' is 'maybe', but it must be"
                + " one of auto, true, false."), errors.get(0));
        assertFalse(result.output().contains("Exception"), result.output());
        assertFalse(result.output().contains("SLF4J"), result.output());
        assertEquals("", Files.readString(output));
    }

    @Test
    void utf8ReachesTheLogWhateverTheLocale() throws Exception {
        Processes.Result help = Processes.run(List.of("java", "-jar", JAR, "--help"), Map.of("LANG", "C", "LC_ALL", "C"));
        assertTrue(help.output().contains("name=…,enable=…"), "UTF-8 ellipsis printed as is");
    }
}
