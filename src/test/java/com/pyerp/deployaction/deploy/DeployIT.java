package com.pyerp.deployaction.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.pyerp.deployaction.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Build, push and deploy with the action against the real sshd, dockerd and docker-compose on loopback. */
class DeployIT {

    @TempDir
    Path workspace;

    @Test
    void happyPathRunsTheDigestTheActionReportedAndRecordsTheRelease() throws Exception {
        try (DeployFixture app = new DeployFixture(workspace, 18101)) {
            Map<String, String> first = app.run(app.env(), 0);
            String image = first.get("image");
            assertTrue(image.startsWith(app.repository + "@sha256:"), image);
            assertEquals("true", first.get("deployed"));
            assertEquals("production", first.get("environment"));
            assertEquals("", first.get("previous-image"));
            assertEquals("v1", app.probe());
            List<String> containers = app.containers();
            assertEquals(1, containers.size());
            assertEquals(image + "\n", Processes.run("docker", "inspect", "--format", "{{.Config.Image}}", containers.get(0)).output());
            String digest = image.substring(image.indexOf('@') + 1);
            String repoDigests = Processes.run("docker", "inspect", "--format", "{{json .RepoDigests}}",
                    Processes.run("docker", "inspect", "--format", "{{.Image}}", containers.get(0)).output().strip()).output();
            assertTrue(repoDigests.contains(digest), repoDigests);
            assertEquals(image + "\n", app.onServer(".deploy/current-image"));
            assertTrue(app.log().contains("::group::deploy@127.0.0.1:2222 · Health"), app.log());
            assertTrue(app.log().contains("healthy (3/3)"), app.log());

            app.version("v2", true);
            Map<String, String> second = app.run(app.env("INPUT_MIGRATE-COMMAND",
                    "sh -c 'echo migrated \"$PORT\"; echo ::error::injected by the migration'"), 0);
            assertEquals(1, app.log().lines().filter(line -> line.equals("  migrated " + app.port)).count(), app.log());
            List<String> lines = app.log().lines().toList();
            int injected = lines.indexOf("  ::error::injected by the migration");
            assertTrue(lines.get(injected - 1).startsWith("::stop-commands::"), "the runner ignores it: " + app.log());
            assertEquals("::" + lines.get(injected - 1).substring("::stop-commands::".length()) + "::", lines.get(injected + 1));
            assertEquals(List.of(), app.errors(), "no annotation from the server's output");
            assertEquals("v2", app.probe());
            assertEquals(image, second.get("previous-image"));
            assertNotEquals(image, second.get("image"));
            assertEquals(2, app.onServer(".deploy/releases.log").lines().filter(l -> l.contains(" deployed ")).count());
            assertTrue(app.onServer(".deploy/previous/.env").contains("SECRET_KEY"));
            assertEquals("-rw-------", Processes.run("stat", "-c", "%A", app.appDir + "/.env").output().strip());
            assertNull(app.onServer(".deploy/lock/owner"), "the lock is released");
            assertTrue(Files.readString(app.summary).contains("| deploy@127.0.0.1:2222 | deployed | " + second.get("image")
                    + " | " + image + " |"),
                    Files.readString(app.summary));
        }
    }

    @Test
    void aBrokenReleaseIsRolledBackAndTheOldVersionServesAgain() throws Exception {
        try (DeployFixture app = new DeployFixture(workspace, 18102)) {
            String v1 = app.run(app.env(), 0).get("image");
            app.version("v2", false);
            Probe probe = Probe.start(app);
            Map<String, String> outputs = app.run(app.env("INPUT_HEALTH-TIMEOUT", "5s"), 1);
            List<Probe.Answer> answers = probe.stop();
            assertEquals("false", outputs.get("deployed"));
            assertEquals(v1, outputs.get("previous-image"));
            assertEquals(1, app.errors().size(), app.log());
            String error = app.errors().get(0);
            assertTrue(error.startsWith("::error title=Deploy failed::deploy@127.0.0.1:2222: the new version failed its health"
                    + " check (http://127.0.0.1:18102/health answered 404, expected 2xx, after 5 s). Rolled back to " + v1
                    + ", which is healthy and serving."), error);
            assertEquals("v1", app.probe());
            assertEquals(v1 + "\n", app.onServer(".deploy/current-image"));
            assertTrue(app.onServer(".deploy/releases.log").contains(" rolled back "), app.onServer(".deploy/releases.log"));
            assertNull(app.onServer(".deploy/lock/owner"));
            assertTrue(answers.stream().allMatch(a -> a.body().equals("v1") || a.body().equals("down") || a.body().equals("HTTP 404")),
                    answers.toString());
            assertEquals("v1", answers.get(0).body());
            assertEquals("v1", answers.get(answers.size() - 1).body());
            long gap = Probe.longestGapMillis(answers);
            System.out.println("broken release: the old version did not answer for " + gap + " ms (stop-first switch,"
                    + " 5 s health timeout, rollback)");
            assertTrue(gap < 20_000, "gap " + gap);
        }
    }

    @Test
    void commandRollbackGoesBackWithThePreviousFilesAndASecondOneGoesForward() throws Exception {
        try (DeployFixture app = new DeployFixture(workspace, 18103)) {
            String v1 = app.run(app.env(), 0).get("image");
            app.run(app.env("INPUT_COMMAND", "rollback"), 1);
            assertEquals(List.of("::error title=Nothing to roll back::deploy@127.0.0.1:2222: .deploy/releases.log names no"
                    + " release before " + v1 + ". Set previous-image to the image to run."), app.errors());

            app.version("v2", true);
            Files.writeString(workspace.resolve("app.env"), "PORT=" + app.port + "\nRELEASE=two\n");
            String v2 = app.run(app.env(), 0).get("image");
            assertEquals("v2", app.probe());

            Map<String, String> back = app.run(app.env("INPUT_COMMAND", "rollback"), 0);
            assertEquals("v1", app.probe());
            assertEquals(v2, back.get("previous-image"));
            assertTrue(app.onServer(".env").contains("SECRET_KEY"), "v1's .env is back");
            assertTrue(app.onServer(".deploy/previous/.env").contains("RELEASE=two"), "v2's is kept for going forward");
            assertTrue(Files.readString(app.summary).contains("Rollback of production"), Files.readString(app.summary));

            Map<String, String> forward = app.run(app.env("INPUT_COMMAND", "rollback"), 0);
            assertEquals("v2", app.probe());
            assertEquals(v1, forward.get("previous-image"));
            assertTrue(app.onServer(".env").contains("RELEASE=two"));

            Map<String, String> named = app.run(app.env("INPUT_COMMAND", "rollback", "INPUT_PREVIOUS-IMAGE", v1), 0);
            assertEquals("v1", app.probe());
            assertEquals(v2, named.get("previous-image"));

            String unknown = app.repository + "@sha256:" + "0".repeat(64);
            app.run(app.env("INPUT_COMMAND", "rollback", "INPUT_PREVIOUS-IMAGE", unknown), 1);
            assertEquals(List.of("::error title=Nothing to roll back::deploy@127.0.0.1:2222: app-dir has no"
                    + " .deploy/releases/000000000000/compose.yaml: " + unknown + " was not deployed here by a version of"
                    + " the action that keeps its files. Deploy that commit again instead."), app.errors());
            assertEquals("v1", app.probe());
            assertTrue(app.onServer(".env").contains("SECRET_KEY"), "the running files are untouched");
        }
    }

    @Test
    void aFailingMigrationLeavesTheOldVersionUntouched() throws Exception {
        try (DeployFixture app = new DeployFixture(workspace, 18103)) {
            String v1 = app.run(app.env(), 0).get("image");
            List<String> before = app.containers();
            String envBefore = app.onServer(".env");
            app.version("v2", true);
            Files.writeString(workspace.resolve("app.env"), "PORT=" + app.port + "\nNEW_SETTING=1\n");
            app.run(app.env("INPUT_MIGRATE-COMMAND", "sh -c 'echo applying 0042 >&2; exit 3'"), 1);
            assertEquals(1, app.errors().size(), app.log());
            String error = app.errors().get(0);
            assertTrue(error.startsWith("::error title=Migration failed::deploy@127.0.0.1:2222: "), error);
            assertTrue(error.contains("exited with status 3") && error.contains("applying 0042"), error);
            assertTrue(error.endsWith("Nothing was switched: the old version is still serving, with its compose.yaml and .env"
                    + " put back."), error);
            assertEquals(before, app.containers(), "the running container was not touched");
            assertEquals("v1", app.probe());
            assertEquals(envBefore, app.onServer(".env"), "the previous .env is back");
            assertEquals(v1 + "\n", app.onServer(".deploy/current-image"));
            assertNull(app.onServer(".deploy/lock/owner"));
        }
    }

    @Test
    void anAppDirReachedThroughASymlinkIsDeployedAndHealthCheckedLikeAnyOther() throws Exception {
        try (DeployFixture app = new DeployFixture(workspace, 18107)) {
            String v1 = app.run(app.env(), 0).get("image");
            Path link = Path.of(app.appDir + "-link");
            Files.createSymbolicLink(link, Path.of(app.appDir));
            try {
                app.version("v2", true);
                Map<String, String> outputs = app.run(app.env("INPUT_APP-DIR", link.toString()), 0);
                assertEquals("true", outputs.get("deployed"));
                assertEquals(v1, outputs.get("previous-image"));
                assertEquals("v2", app.probe());
                assertEquals(1, app.containers().size());
            } finally {
                Files.delete(link);
            }
        }
    }

    @Test
    void aSecondDeployWaitsForTheLockThenFailsClearly() throws Exception {
        try (DeployFixture app = new DeployFixture(workspace, 18104)) {
            app.run(app.env(), 0);
            DeployFixture.Run first = app.start(app.env("INPUT_MIGRATE-COMMAND", "sleep 25"));
            app.awaitServerFile(".deploy/lock/owner");
            Map<String, String> second = app.run(app.env("INPUT_LOCK-TIMEOUT", "3s"), 1);
            assertEquals("false", second.get("deployed"));
            assertEquals(1, app.errors().size(), app.log());
            assertTrue(app.errors().get(0).startsWith("::error title=Server locked::deploy@127.0.0.1:2222: another deploy holds"
                    + " the lock in " + app.appDir + ": octocat https://github.com/pyerp/pyerp/actions/runs/42 sha 0123456. Waited 3 s"),
                    app.errors().get(0));
            assertTrue(app.log().contains("waiting for the lock held by octocat"), app.log());
            assertEquals(0, first.exitCode(), first.log());
        }
    }

    @Test
    void anExpiredLockIsTakenOverWithAWarning() throws Exception {
        try (DeployFixture app = new DeployFixture(workspace, 18105)) {
            app.run(app.env(), 0);
            Path lock = Path.of(app.appDir, ".deploy/lock");
            Files.createDirectories(lock);
            Files.writeString(lock.resolve("owner"), "dead-token\n" + (System.currentTimeMillis() / 1000 - 3600)
                    + "\nmallory https://github.com/pyerp/pyerp/actions/runs/1 sha dead\n");
            Processes.run("chown", "-R", "deploy:deploy", lock.toString());
            app.version("v2", true);
            app.run(app.env(), 0);
            assertEquals("v2", app.probe());
            assertTrue(app.log().lines().anyMatch(line -> line.startsWith("::warning title=Stale deploy lock taken over::"
                    + "deploy@127.0.0.1:2222: the lock in " + app.appDir + " was last refreshed 3")
                    && line.contains("by mallory https://github.com/pyerp/pyerp/actions/runs/1 sha dead")), app.log());
        }
    }

    @Test
    void theDeployIsRecordedAsAGitHubDeployment() throws Exception {
        WireMockServer api = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        api.start();
        try (DeployFixture app = new DeployFixture(workspace, 18106)) {
            api.stubFor(get("/repos/pyerp/pyerp").willReturn(okJson("{\"id\":1,\"name\":\"pyerp\",\"full_name\":\"pyerp/pyerp\","
                    + "\"owner\":{\"login\":\"pyerp\"},\"url\":\"" + api.baseUrl() + "/repos/pyerp/pyerp\"}")));
            api.stubFor(post("/repos/pyerp/pyerp/deployments").willReturn(okJson("{\"id\":4242,\"environment\":\"production\","
                    + "\"url\":\"" + api.baseUrl() + "/repos/pyerp/pyerp/deployments/4242\","
                    + "\"statuses_url\":\"" + api.baseUrl() + "/repos/pyerp/pyerp/deployments/4242/statuses\"}").withStatus(201)));
            api.stubFor(post("/repos/pyerp/pyerp/deployments/4242/statuses").willReturn(okJson("{\"id\":1}").withStatus(201)));
            Map<String, String> outputs = app.run(app.env("GITHUB_API_URL", api.baseUrl(), "INPUT_GITHUB-TOKEN", "ghs_deploytoken"), 0);
            assertEquals("4242", outputs.get("deployment-id"));
            List<String> states = api.findAll(postRequestedFor(urlEqualTo("/repos/pyerp/pyerp/deployments/4242/statuses"))).stream()
                    .map(request -> request.getBodyAsString().replaceAll(".*\"state\":\"([a-z_-]+)\".*", "$1")).toList();
            assertEquals(List.of("in_progress", "success"), states);
            assertFalse(app.log().lines().filter(line -> !line.startsWith("::add-mask::")).anyMatch(line -> line.contains("ghs_deploytoken")));
        } finally {
            api.stop();
        }
    }
}
