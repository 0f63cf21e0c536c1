package com.pyerp.deployaction.action;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Makes throwaway git repositories for tests. */
public final class TestGit {

    private TestGit() {}

    /** A repository with one commit on {@code branch}. */
    public static void init(Path dir, String branch) throws IOException, InterruptedException {
        run(dir, "init", "-q", "-b", branch);
        Files.writeString(dir.resolve("README.md"), "test\n");
        run(dir, "add", ".");
        run(dir, "-c", "user.name=Test", "-c", "user.email=test@example.invalid", "commit", "-q", "-m", "first");
    }

    public static String run(Path dir, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }
}
