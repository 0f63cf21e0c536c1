package com.pyerp.deployaction.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitHubContextTest {

    @TempDir
    Path dir;

    private Map<String, String> runnerEnv(String eventName, String ref, String payload) throws IOException {
        Path event = dir.resolve("event.json");
        Files.writeString(event, payload);
        Map<String, String> env = new HashMap<>();
        env.put("GITHUB_EVENT_NAME", eventName);
        env.put("GITHUB_EVENT_PATH", event.toString());
        env.put("GITHUB_REF", ref);
        env.put("GITHUB_SHA", "860c1904a1ce19322e91ac35af1ab07466440c37");
        env.put("GITHUB_REPOSITORY", "pyerp/pyerp");
        env.put("GITHUB_ACTOR", "octocat");
        env.put("GITHUB_RUN_ID", "42");
        env.put("GITHUB_RUN_ATTEMPT", "2");
        return env;
    }

    @Test
    void pushToABranch() throws IOException {
        GitHubContext context = GitHubContext.fromEnvironment(runnerEnv("push", "refs/heads/dev",
                "{\"head_commit\":{\"id\":\"860c1904a1ce19322e91ac35af1ab07466440c37\",\"timestamp\":\"2026-11-20T10:15:30+01:00\"}}"));
        assertEquals("dev", context.refName());
        assertFalse(context.isPullRequest());
        assertEquals("860c190", context.shortSha());
        assertEquals("pyerp", context.repositoryName());
        assertEquals(Instant.parse("2026-11-20T09:15:30Z"), context.commitDate());
        assertEquals("https://github.com/pyerp/pyerp/actions/runs/42/attempts/2", context.runUrl());
        assertEquals("https://api.github.com", context.apiUrl());
    }

    @Test
    void tag() throws IOException {
        GitHubContext context = GitHubContext.fromEnvironment(runnerEnv("push", "refs/tags/v1.2.3", "{}"));
        assertEquals("v1.2.3", context.refName());
        assertNull(context.commitDate());
    }

    @Test
    void pullRequestFromAForkIsRecognised() throws IOException {
        GitHubContext fork = GitHubContext.fromEnvironment(runnerEnv("pull_request", "refs/pull/7/merge",
                "{\"pull_request\":{\"number\":7,\"head\":{\"repo\":{\"full_name\":\"someone/pyerp\"}}}}"));
        GitHubContext sameRepo = GitHubContext.fromEnvironment(runnerEnv("pull_request", "refs/pull/8/merge",
                "{\"pull_request\":{\"number\":8,\"head\":{\"repo\":{\"full_name\":\"pyerp/pyerp\"}}}}"));
        assertTrue(fork.isForkPullRequest());
        assertFalse(sameRepo.isForkPullRequest());
        assertEquals("7", fork.event().path("pull_request").path("number").asText(""));
    }

    @Test
    void enterpriseServerUrls() throws IOException {
        Map<String, String> env = runnerEnv("push", "refs/heads/main", "{}");
        env.put("GITHUB_SERVER_URL", "https://ghe.example");
        env.put("GITHUB_API_URL", "https://ghe.example/api/v3");
        GitHubContext context = GitHubContext.fromEnvironment(env);
        assertEquals("https://ghe.example/api/v3", context.apiUrl());
        assertTrue(context.runUrl().startsWith("https://ghe.example/pyerp/pyerp/actions/runs/42"));
    }

    @Test
    void noEventFileMeansAnEmptyPayload() {
        GitHubContext context = GitHubContext.fromEnvironment(Map.of("GITHUB_REF", "refs/heads/main"));
        assertTrue(context.event().isMissing());
        assertEquals("", context.runUrl());
    }

    @Test
    void brokenEventFileIsAClearError() throws IOException {
        ActionException e = assertThrows(ActionException.class,
                () -> GitHubContext.fromEnvironment(runnerEnv("push", "refs/heads/main", "{not json")));
        assertTrue(e.getMessage().startsWith("GITHUB_EVENT_PATH points to " + dir.resolve("event.json")));
    }
}
