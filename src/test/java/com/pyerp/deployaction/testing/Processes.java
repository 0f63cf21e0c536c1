package com.pyerp.deployaction.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a local command for a test and returns its exit code and combined output. */
public final class Processes {

    public record Result(int exitCode, String output) {}

    private Processes() {}

    public static Result run(List<String> command, Map<String, String> extraEnv) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("INPUT_") || name.startsWith("GITHUB_"));
        builder.environment().putAll(extraEnv);
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException(command + " timed out");
        }
        return new Result(process.exitValue(), output);
    }

    public static Result run(String... command) throws IOException, InterruptedException {
        return run(List.of(command), Map.of());
    }
}
