package com.pyerp.deployaction.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerTempTest {

    @Test
    void onARunnerItIsTheJobsOwnTemporaryDirectory(@TempDir Path runnerTemp) {
        assertEquals(runnerTemp, RunnerTemp.directory(Map.of("RUNNER_TEMP", runnerTemp.toString())));
    }

    @Test
    void elsewhereItIsANewPrivateDirectoryNeverAFixedNameInTheSharedTmp() throws Exception {
        Path first = RunnerTemp.directory(Map.of());
        Path second = RunnerTemp.directory(Map.of("RUNNER_TEMP", " "));
        try {
            assertNotEquals(first, second);
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first)));
            assertEquals(Path.of(System.getProperty("java.io.tmpdir")), first.getParent());
        } finally {
            Files.delete(first);
            Files.delete(second);
        }
    }
}
