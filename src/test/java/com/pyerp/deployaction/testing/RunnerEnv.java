package com.pyerp.deployaction.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The environment a GitHub runner gives the action, for tests that run it as the runner would. */
public final class RunnerEnv {

    public static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    private RunnerEnv() {}

    /**
     * A push of {@link #SHA} to main of pyerp/pyerp, its outputs in a new file in {@code dir}, and a GitHub API
     * where nothing listens. The map is the test's to add inputs to.
     */
    public static Map<String, String> pushToMain(Path dir) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("GITHUB_ACTIONS", "true");
        env.put("GITHUB_OUTPUT", Files.createTempFile(dir, "output", "").toString());
        env.put("GITHUB_EVENT_NAME", "push");
        env.put("GITHUB_REF", "refs/heads/main");
        env.put("GITHUB_SHA", SHA);
        env.put("GITHUB_REPOSITORY", "pyerp/pyerp");
        env.put("GITHUB_API_URL", "http://127.0.0.1:1");
        return env;
    }

    /** Adds an event file whose head commit fixes the creation time, so that builds are reproducible. */
    public static Map<String, String> withHeadCommit(Map<String, String> env, Path dir) throws IOException {
        Path event = Files.writeString(dir.resolve("event.json"), "{\"head_commit\":{\"id\":\"" + SHA + "\","
                + "\"timestamp\":\"2026-11-20T10:15:30Z\"}}");
        env.put("GITHUB_EVENT_PATH", event.toString());
        return env;
    }

    /**
     * A reproducible push to main that builds {@code src/} of {@code workspace} as {@code /app} onto the test base
     * image, tags it by branch and sha, and pushes it to {@code repository} on the plain-HTTP test registry.
     */
    public static Map<String, String> buildToTestRegistry(Path workspace, TestServices services, String repository,
            String entrypoint) throws IOException {
        Map<String, String> env = withHeadCommit(pushToMain(workspace), workspace);
        env.put("RUNNER_TEMP", workspace.toString());
        env.put("HOME", workspace.toString());
        env.put("INPUT_IMAGES", services.get("REGISTRY") + "/" + repository);
        env.put("INPUT_TAGS", "type=ref,event=branch\ntype=sha");
        env.put("INPUT_BASE-IMAGE", services.get("BASE_IMAGE"));
        env.put("INPUT_LAYERS", "src:/app");
        env.put("INPUT_ENTRYPOINT", entrypoint);
        env.put("INPUT_INSECURE-REGISTRIES", services.get("REGISTRY"));
        env.put("INPUT_DEPLOY", "false");
        return env;
    }

    /** Puts {@code pairs} (name, value, name, value…) into {@code env}. */
    public static Map<String, String> with(Map<String, String> env, String... pairs) {
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }
}
