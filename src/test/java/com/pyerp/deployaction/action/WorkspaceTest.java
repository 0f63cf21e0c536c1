package com.pyerp.deployaction.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceTest {

    @TempDir
    Path dir;

    @Test
    void filesOfTheWorkspaceAndOfTheRunnersTemporaryDirectoryAreReadAndNothingElse() throws Exception {
        Path root = Files.createDirectories(dir.resolve("repo"));
        Path runnerTemp = Files.createDirectories(dir.resolve("runner-temp"));
        Files.writeString(root.resolve("compose.yaml"), "services: {}\n");
        Files.writeString(runnerTemp.resolve("app.env"), "A=1\n");
        Files.writeString(dir.resolve("secret.txt"), "x\n");
        Files.createSymbolicLink(root.resolve("passwd"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(root.resolve("up"), dir);
        Workspace workspace = Workspace.of(root, Map.of("RUNNER_TEMP", runnerTemp.toString()));

        Files.createDirectories(dir.resolve("elsewhere/sub"));
        Files.createSymbolicLink(root.resolve("l"), dir.resolve("elsewhere/sub"));

        assertTrue(workspace.contains(Path.of("compose.yaml")));
        assertTrue(workspace.contains(Path.of("build/not-yet-there")), "judged by its nearest parent");
        assertTrue(workspace.contains(Path.of("build/../compose.yaml")));
        assertTrue(workspace.containsInput(runnerTemp.resolve("app.env")), "an input may name the runner's temp");
        assertFalse(workspace.contains(runnerTemp.resolve("app.env")), "a repository file may not");
        assertFalse(workspace.contains(Path.of("../runner-temp/app.env")));
        for (String outside : List.of("/etc/passwd", "../secret.txt", "passwd", "up/secret.txt", "up/runner-temp/../secret.txt",
                "l/../../secret.txt", "l/../secret-below-the-link-target", "missing/../../secret.txt")) {
            assertFalse(workspace.containsInput(Path.of(outside)), outside);
        }
        assertTrue(workspace.outside().contains("(" + runnerTemp + ")"), workspace.outside());
    }

    @Test
    void outsideARunnerOnlyTheWorkspaceCounts() {
        Workspace workspace = Workspace.of(dir, Map.of());
        assertNull(workspace.runnerTemp());
        assertFalse(workspace.containsInput(Path.of(System.getProperty("java.io.tmpdir"), "elsewhere")));
        assertEquals("leads outside the workspace (" + dir + "); name a file of the repository, relative to the workspace",
                workspace.outside());
    }
}
