package com.pyerp.deployaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.action.TestGit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MainTest {

    /** Nothing listens there: the API is unreachable, as the metadata stage must survive. */
    private static final String CLOSED_PORT_API = "http://127.0.0.1:1";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return Main.run(args, env, new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8), dir);
    }

    private String all() {
        return stdout.toString(StandardCharsets.UTF_8) + stderr.toString(StandardCharsets.UTF_8);
    }

    private Map<String, String> runner(String... inputs) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("GITHUB_ACTIONS", "true");
        env.put("GITHUB_OUTPUT", Files.createFile(dir.resolve("output")).toString());
        env.put("GITHUB_STEP_SUMMARY", Files.createFile(dir.resolve("summary")).toString());
        env.put("GITHUB_EVENT_NAME", "push");
        env.put("GITHUB_REF", "refs/heads/main");
        env.put("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567");
        env.put("GITHUB_REPOSITORY", "pyerp/pyerp");
        env.put("GITHUB_API_URL", CLOSED_PORT_API);
        env.put("RUNNER_TEMP", dir.toString());
        for (int i = 0; i < inputs.length; i += 2) {
            env.put(inputs[i], inputs[i + 1]);
        }
        return env;
    }

    @Test
    void badPushValueGivesExactlyOneErrorLineAndNoJavaText() throws IOException {
        int code = run(runner("INPUT_PUSH", "maybe"));

        assertEquals(1, code);
        List<String> errors = all().lines().filter(line -> line.startsWith("::error")).toList();
        assertEquals(List.of("::error title=Invalid input%3A push::Input 'push' is 'maybe', but it must be one of auto,"
                + " true, false. Set it in the step's 'with:' block (or pass --push=VALUE on the command line)."), errors);
        assertFalse(all().matches("(?s).*(Exception|\\tat |\\.java:).*"), all());
        assertEquals("", Files.readString(dir.resolve("output")), "no outputs after a validation failure");
    }

    @ParameterizedTest
    @CsvSource({"health-timeout, 99999999999999999", "lock-timeout, 99999999999999999999", "health-interval, 25h",
            "lock-timeout, 1441m", "health-timeout, 99999999999h"})
    void aDurationOverTheCapIsOneErrorNamingTheInputAndTheCap(String input, String value) throws IOException {
        int code = run(runner("INPUT_BUILD", "false", "INPUT_" + input.toUpperCase(java.util.Locale.ROOT), value));
        assertEquals(1, code, all());
        List<String> errors = all().lines().filter(line -> line.startsWith("::error")).toList();
        assertEquals(List.of("::error title=Invalid input%3A " + input + "::Input '" + input + "' is '" + value + "', but it"
                + " must be a duration of at most 24h, such as 90s, 2m, 1m30s or a number of seconds. Set it in the step's"
                + " 'with:' block (or pass --" + input + "=VALUE on the command line)."), errors);
        assertFalse(all().matches("(?s).*(Exception|\\tat |\\.java:).*"), all());
    }

    @Test
    void validationHappensBeforeAnyStage() throws IOException {
        int code = run(runner("INPUT_BUILD", "false", "INPUT_HEALTH-TIMEOUT", "soon"));
        assertEquals(1, code);
        assertFalse(all().contains("::group::Context"), "nothing ran before the rejection");
        assertTrue(all().contains("'health-timeout' is 'soon'"));
    }

    @Test
    void secretInputsAreMaskedFirstAndNeverPrinted() throws IOException {
        String token = "ghs_SECRETtoken123456";
        int code = run(runner("INPUT_GITHUB-TOKEN", token, "INPUT_BUILD", "false",
                "INPUT_SSH-KEY", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAAsecret\n-----END OPENSSH PRIVATE KEY-----"));
        assertEquals(0, code, all());
        assertTrue(all().startsWith("::add-mask::" + token + "\n"), all());
        String afterMasks = all().lines().filter(line -> !line.startsWith("::add-mask::")).reduce("", String::concat);
        assertFalse(afterMasks.contains(token));
        assertFalse(afterMasks.contains("b3BlbnNzaC1rZXktdjEAAAAAsecret"));
        assertFalse(Files.readString(dir.resolve("summary")).contains(token));
    }

    @Test
    void dryPlanOnTheRunnerPrintsContextPlanAndSummary() throws IOException {
        int code = run(runner("INPUT_BUILD", "false", "INPUT_DEPLOY", "auto"));
        assertEquals(0, code, all());
        assertTrue(all().contains("::group::Context\n"));
        assertTrue(all().contains("ref:         refs/heads/main\n"));
        assertTrue(all().contains("build        skipped (build: false)"));
        assertTrue(all().contains("deploy       skipped (no deploy-config or ssh-host)"));
        String summary = Files.readString(dir.resolve("summary"));
        assertTrue(summary.startsWith("### pyerp-deploy-action\n\n| Stage | Plan |\n| --- | --- |\n| context | push of refs/heads/main at 0123456 in pyerp/pyerp |\n"), summary);
    }

    @Test
    void aDeployWithNowhereToGoFailsBeforeAnythingRuns() throws IOException {
        int code = run(runner("INPUT_BUILD", "false", "INPUT_DEPLOY", "true", "INPUT_ENVIRONMENT", "production"));
        assertEquals(1, code);
        assertTrue(all().contains("::error title=Invalid input%3A deploy-config::deploy is 'true', but there is no"
                + " 'deploy-config' and no 'ssh-host', so there is nowhere to deploy. Set one of them.\n"), all());
        assertFalse(all().contains("::group::Image metadata"), "nothing ran after the refusal");
    }

    @Test
    void buildingWithoutABaseImageSaysWhatToSet() throws IOException {
        assertEquals(1, run(runner()));
        List<String> errors = all().lines().filter(line -> line.startsWith("::error")).toList();
        assertEquals(1, errors.size(), all());
        assertTrue(errors.get(0).startsWith("::error title=No base image::Neither the base-image input nor from.image"), errors.get(0));
    }

    @Test
    void forkPullRequestsAreNotPushedByAuto() throws IOException {
        Path event = dir.resolve("event.json");
        Files.writeString(event, "{\"pull_request\":{\"head\":{\"repo\":{\"full_name\":\"fork/pyerp\"}}}}");
        run(runner("GITHUB_EVENT_NAME", "pull_request", "GITHUB_EVENT_PATH", event.toString()));
        assertTrue(all().contains("do not push: pull requests from forks get a read-only token"), all());
    }

    @Test
    void commandLineUsesTheGitWorkingTreeAndPrintsTheSummaryAsText() throws Exception {
        TestGit.init(dir, "dev");
        int code = run(Map.of("GITHUB_API_URL", CLOSED_PORT_API), "--build=false");
        assertEquals(0, code, all());
        assertTrue(stderr.toString(StandardCharsets.UTF_8).contains("ref:         refs/heads/dev\n"));
        assertTrue(stdout.toString(StandardCharsets.UTF_8).contains("| context | push of refs/heads/dev at "));
        assertFalse(all().contains("::"), "no workflow commands outside a runner");
    }

    @Test
    void commandLineErrorsArePlainText() {
        int code = run(Map.of(), "--push=sometimes");
        assertEquals(1, code);
        assertEquals("error: Invalid input: push: Input 'push' is 'sometimes', but it must be one of auto, true, false."
                + " Set it in the step's 'with:' block (or pass --push=VALUE on the command line).\n",
                stderr.toString(StandardCharsets.UTF_8));
    }

    @Test
    void unexpectedFailuresShowTheStackTraceOnlyWithRunnerDebug() throws IOException {
        Path notAFile = Files.createDirectory(dir.resolve("output-dir"));
        Map<String, String> env = runner("INPUT_BUILD", "false");
        env.put("GITHUB_STEP_SUMMARY", notAFile.toString());
        assertEquals(1, run(env));
        assertTrue(all().contains("::error title=Unexpected failure::"), all());
        assertFalse(all().contains("\tat "));

        stdout.reset();
        stderr.reset();
        env.put("RUNNER_DEBUG", "1");
        assertEquals(1, run(env));
        assertTrue(all().contains("\tat "), "stack trace with RUNNER_DEBUG=1");
    }

    @Test
    void helpListsEveryInput() {
        assertEquals(0, run(Map.of(), "--help"));
        for (var input : com.pyerp.deployaction.config.Input.values()) {
            assertTrue(stdout.toString(StandardCharsets.UTF_8).contains("--" + input.id() + "=VALUE"), input.id());
        }
    }
}
