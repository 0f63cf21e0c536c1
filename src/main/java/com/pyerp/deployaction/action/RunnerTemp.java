package com.pyerp.deployaction.action;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the action keeps files that live for one job. On a runner that is {@code $RUNNER_TEMP}, which is the job's own
 * and emptied after it. Anywhere else it is a new directory that only this user can enter, never a fixed name in a
 * shared {@code /tmp} that another user could have made first.
 */
public final class RunnerTemp {

    private RunnerTemp() {}

    /**
     * Where to make a private temporary file or directory that the caller deletes: {@code $RUNNER_TEMP} on a runner,
     * else {@code java.io.tmpdir}.
     */
    public static Path parent(Map<String, String> env) {
        String runnerTemp = env.getOrDefault("RUNNER_TEMP", "");
        return Path.of(runnerTemp.isBlank() ? System.getProperty("java.io.tmpdir") : runnerTemp);
    }

    public static Path directory(Map<String, String> env) {
        String runnerTemp = env.getOrDefault("RUNNER_TEMP", "");
        if (!runnerTemp.isBlank()) {
            return Path.of(runnerTemp);
        }
        try {
            return Files.createTempDirectory("pyerp-deploy-action-");
        } catch (IOException e) {
            throw new ActionException("No temporary space", "Could not create a temporary directory in "
                    + System.getProperty("java.io.tmpdir") + " (" + e.getMessage() + "). Set RUNNER_TEMP to a writable"
                    + " directory.", e);
        }
    }
}
