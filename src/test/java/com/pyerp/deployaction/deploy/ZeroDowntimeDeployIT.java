package com.pyerp.deployaction.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.testing.Processes;
import com.pyerp.deployaction.testing.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code switch: proxy} through the real Caddy of the test services (scripts/web-proxy), with the real sshd, dockerd
 * and docker-compose: a load loop asks the app through Caddy {@value LoadLoop#PER_SECOND} times a second during each
 * deploy, and every request must succeed, answered by the right version.
 */
class ZeroDowntimeDeployIT {

    /** A held request may take the whole migrate-pause (20 s in these tests): the users' deadline is longer. */
    private static final int PAUSED_DEADLINE = 25_000;

    @TempDir
    Path workspace;

    private final TestServices proxy = TestServices.require("WEB_PROXY");
    private final List<DeployFixture> apps = new ArrayList<>();

    @AfterEach
    void removeRoutesAndSlots() throws Exception {
        for (DeployFixture app : apps) {
            Processes.run("curl", "-sS", "-X", "DELETE", proxy.get("WEB_PROXY_ADMIN") + "/id/"
                    + ProxyCommands.routeId(app.project));
            app.close();
        }
    }

    @Test
    void aGoodReleaseTakesOverWithoutAFailedRequestAndSlowRequestsFinishOnTheOldOne() throws Exception {
        DeployFixture app = app(18211);
        slowPage();
        String v1 = app.run(env(app), 0).get("image");
        assertEquals("v1", through(app, "/").body());
        assertTrue(app.log().contains("first deploy behind the proxy: starting slot " + app.project + "-blue"), app.log());

        app.version("v2", true);
        LoadLoop load = LoadLoop.start(proxy.get("WEB_PROXY"), host(app));
        SlowRequests slow = SlowRequests.start(load);
        Map<String, String> outputs = app.run(env(app), 0);
        List<LoadLoop.Answer> slowAnswers = slow.stop();
        List<LoadLoop.Answer> answers = load.stop();

        assertEquals(List.of(), LoadLoop.failures(answers, "v1", "v2"), "failed requests during the deploy:\n" + app.log());
        assertTrue(answers.size() >= 3 * LoadLoop.PER_SECOND, "answers: " + answers.size());
        assertEquals("v2", answers.get(answers.size() - 1).body());
        assertEquals(List.of(), slowAnswers.stream().filter(a -> !a.ok()).toList(), "slow requests");
        long switched = answers.stream().filter(a -> a.body().equals("v2")).mapToLong(LoadLoop.Answer::ended).min()
                .orElseThrow();
        assertTrue(slowAnswers.stream().anyMatch(a -> a.body().equals("slow v1") && a.started() < switched
                && a.ended() > switched), "a slow request in flight at the switch ended on v1: " + slowAnswers);
        assertTrue(app.log().contains("old slot drained in"), app.log());

        assertEquals(v1, outputs.get("previous-image"));
        assertEquals("v2", through(app, "/").body());
        assertEquals(List.of(), running(app.project + "-blue"), "the old slot is stopped");
        assertEquals(1, Processes.run("docker", "ps", "-aq", "--filter", "label=com.docker.compose.project="
                + app.project + "-blue").output().lines().count(), "and kept for a rollback");
        List<String> worker = running(app.project);
        assertEquals(1, worker.size(), "the worker runs in app-dir's project");
        assertEquals(outputs.get("image"), Processes.run("docker", "inspect", "--format", "{{.Config.Image}}",
                worker.get(0)).output().strip(), "the worker runs the new image");
    }

    @Test
    void anUnhealthyReleaseNeverReachesTheProxy() throws Exception {
        DeployFixture app = app(18221);
        String v1 = app.run(env(app), 0).get("image");
        app.version("v2", false);
        List<LoadLoop.Answer> answers = underLoad(app, () -> app.run(env(app, "INPUT_HEALTH-TIMEOUT", "4s"), 1));

        assertEquals(List.of(), LoadLoop.failures(answers, "v1", "v2"), app.log());
        assertTrue(answers.stream().allMatch(a -> a.body().equals("v1")), "only v1 answered");
        List<String> errors = app.errors();
        assertEquals(1, errors.size(), app.log());
        assertTrue(errors.get(0).contains("the new version failed its health check") && errors.get(0).contains(
                "Nothing was switched: the old version kept serving through the proxy."), errors.get(0));
        assertEquals(List.of(), running(app.project + "-green"), "the failed slot is stopped");
        assertTrue(Files.readString(app.summary).contains("| deploy@127.0.0.1:2222 | failed health check, old version"
                + " kept serving | " + v1 + " | " + v1 + " |"), Files.readString(app.summary));
        assertEquals(1, running(app.project + "-blue").size());
    }

    @Test
    void aFailingMigrationSwitchesNothing() throws Exception {
        DeployFixture app = app(18231);
        String v1 = app.run(env(app), 0).get("image");
        app.version("v2", true);
        List<LoadLoop.Answer> answers = underLoad(app, () -> app.run(env(app, "INPUT_MIGRATE-COMMAND",
                "sh -c 'echo cannot migrate; exit 3'"), 1));

        assertEquals(List.of(), LoadLoop.failures(answers, "v1", "v2"), app.log());
        assertTrue(answers.stream().allMatch(a -> a.body().equals("v1")), "only v1 answered");
        assertTrue(app.errors().get(0).contains("Migration failed"), app.log());
        assertEquals(List.of(), Processes.run("docker", "ps", "-aq", "--filter", "label=com.docker.compose.project="
                + app.project + "-green").output().lines().toList(), "no slot started");
        assertEquals(v1, app.onServer(".deploy/current-image").strip());
    }

    @Test
    void aRollbackGoesBackThroughTheSameSwitchWithoutAFailedRequest() throws Exception {
        DeployFixture app = app(18251);
        String v1 = app.run(env(app), 0).get("image");
        app.version("v2", true);
        String v2 = app.run(env(app), 0).get("image");

        LoadLoop load = LoadLoop.start(proxy.get("WEB_PROXY"), host(app));
        Map<String, String> outputs = app.run(env(app, "INPUT_COMMAND", "rollback",
                "INPUT_MIGRATE-COMMAND", "sh -c 'echo never runs; exit 3'"), 0);
        List<LoadLoop.Answer> answers = load.stop();

        assertEquals(List.of(), LoadLoop.failures(answers, "v2", "v1"), app.log());
        assertEquals("v1", answers.get(answers.size() - 1).body());
        assertEquals(v2, outputs.get("previous-image"));
        assertEquals("true", outputs.get("deployed"));
        assertFalse(app.log().contains("Build and push"), "no build: " + app.log());
        assertFalse(app.log().contains("never runs"), "no migration: " + app.log());
        assertTrue(app.log().contains("rolling back to " + v1), app.log());
        assertEquals(v1, app.onServer(".deploy/current-image").strip());
        assertEquals(List.of(), running(app.project + "-green"), "v2's slot is stopped");
    }

    @Test
    void aConnectionLostAfterTheNewSlotStartsLeavesTheOldVersionServingAndARerunCompletes() throws Exception {
        DeployFixture app = app(18261);
        app.run(env(app), 0);
        app.version("v2", true);
        LoadLoop load = LoadLoop.start(proxy.get("WEB_PROXY"), host(app));
        DeployFixture.Run cut = app.start(env(app, "INPUT_LOCK-TIMEOUT", "3s", "INPUT_HEALTH-INTERVAL", "2s"));
        for (int i = 0; i < 600 && running(app.project + "-green").isEmpty(); i++) {
            Thread.sleep(100);
        }
        assertEquals(1, running(app.project + "-green").size(), "the new slot started: " + cut.log());
        Processes.run("pkill", "-KILL", "-f", "^sshd: " + app.services.get("SSH_USER") + " \\[priv\\]");
        assertEquals(1, cut.exitCode(), cut.log());
        Thread.sleep(1000);
        assertEquals("v1", through(app, "/").body(), "the proxy still serves the old slot");

        Thread.sleep(3000);
        app.run(env(app, "INPUT_LOCK-TIMEOUT", "3s"), 0);
        List<LoadLoop.Answer> answers = load.stop();

        assertEquals(List.of(), LoadLoop.failures(answers, "v1", "v2"), cut.log() + app.log());
        assertEquals("v2", answers.get(answers.size() - 1).body());
        assertTrue(app.log().contains("Stale deploy lock taken over"), app.log());
        assertEquals(List.of(), running(app.project + "-blue"), "v1's slot is stopped after the re-run");
    }

    @Test
    void anOldPageStillGetsItsHashedCssAfterTheSwitchUntilTwoReleasesLater() throws Exception {
        DeployFixture app = app(18271, "/app/www/static");
        Path css = Files.createDirectories(workspace.resolve("src/www/static"));
        Files.writeString(css.resolve("app.1111.css"), "body{color:red}\n");
        app.run(env(app, "INPUT_MIGRATE-COMMAND", "sh -c 'ls /app/www/static'"), 0);
        assertEquals(200, through(app, "/static/app.1111.css").status());

        Files.delete(css.resolve("app.1111.css"));
        Files.writeString(css.resolve("app.2222.css"), "body{color:blue}\n");
        app.version("v2", true);
        app.run(env(app), 0);
        assertEquals("v2", through(app, "/").body());
        LoadLoop.Answer old = through(app, "/static/app.1111.css");
        assertEquals(200, old.status(), "v1's page, loaded before the switch, still gets its CSS");
        assertEquals("body{color:red}", old.body());
        assertEquals(200, through(app, "/static/app.2222.css").status());

        Files.delete(css.resolve("app.2222.css"));
        Files.writeString(css.resolve("app.3333.css"), "body{color:green}\n");
        app.version("v3", true);
        app.run(env(app), 0);
        assertEquals(404, through(app, "/static/app.1111.css").status(), "gone two releases later");
        assertEquals(200, through(app, "/static/app.2222.css").status());
        assertEquals(200, through(app, "/static/app.3333.css").status());
        String v3 = AssetCommands.name(app.onServer(".deploy/current-image").strip());
        assertEquals(List.of(v3, v3 + ".own", "none", "serving"),
                Processes.run("ls", app.appDir + "/.deploy/assets").output().lines().toList(), "older copies removed");
    }

    @Test
    void anAssetPathWithoutAMountIsRefused() throws Exception {
        DeployFixture app = app(18281, "/app/www/static");
        Files.writeString(workspace.resolve("compose.yaml"), Files.readString(workspace.resolve("compose.yaml"))
                .replace("    volumes: [\"${APP_ASSETS}:/app/www/static:ro\"]\n", ""));
        app.run(env(app), 1);
        assertEquals(List.of("::error title=Invalid input%3A compose-file::compose.yaml has no web service that mounts"
                + " ${APP_ASSETS}, and production has asset-path /app/www/static. Mount the release's bridged files"
                + " there, for example 'volumes: [\"${APP_ASSETS}:/app/www/static:ro\"]', or remove asset-path."),
                app.errors());
    }

    @Test
    void aMigratePauseHoldsRequestsWhileNoOldCodeRunsAndFailsNone() throws Exception {
        DeployFixture app = app(18291);
        app.run(env(app), 0);
        app.version("v2", true);
        Files.writeString(workspace.resolve("deploy.yml"), Files.readString(workspace.resolve("deploy.yml"))
                + "    migrate-pause: 20s\n");
        List<LoadLoop.Answer> answers = underLoad(app, PAUSED_DEADLINE, () -> app.run(env(app, "INPUT_MIGRATE-COMMAND",
                "sh -c 'if wget -q -O /dev/null http://127.0.0.1:18291/; then echo the"
                + " old release still serves; exit 1; fi; echo migrated alone'"), 0));

        assertEquals(List.of(), LoadLoop.failures(answers, "v1", "v2"), app.log());
        assertTrue(app.log().contains("migrated alone"), app.log());
        assertTrue(answers.stream().anyMatch(a -> a.ended() - a.started() > 1500), "requests were held");
        assertEquals("v2", answers.get(answers.size() - 1).body());
    }

    @Test
    void aFailedMigrationDuringAPauseServesTheHeldRequestsFromTheOldRelease() throws Exception {
        DeployFixture app = app(18301);
        String v1 = app.run(env(app), 0).get("image");
        app.version("v2", true);
        Files.writeString(workspace.resolve("deploy.yml"), Files.readString(workspace.resolve("deploy.yml"))
                + "    migrate-pause: 20s\n");
        List<LoadLoop.Answer> answers = underLoad(app, PAUSED_DEADLINE, () -> app.run(env(app, "INPUT_MIGRATE-COMMAND",
                "sh -c 'echo cannot migrate; exit 3'"), 1));

        assertEquals(List.of(), LoadLoop.failures(answers, "v2", "v1"), app.log());
        assertTrue(answers.stream().allMatch(a -> a.body().equals("v1")), "only v1 answered");
        assertTrue(app.errors().get(0).contains("Migration failed"), app.log());
        assertTrue(app.log().contains("was started again and takes them"), app.log());
        assertEquals(v1, app.onServer(".deploy/current-image").strip());
    }

    @Test
    void aWebServiceWithAContainerNameIsRefusedBeforeAnythingIsBuilt() throws Exception {
        DeployFixture app = app(18311);
        Files.writeString(workspace.resolve("compose.yaml"), Files.readString(workspace.resolve("compose.yaml"))
                .replace("    network_mode: host\n    restart: unless-stopped\n    env_file: .env\n",
                        "    network_mode: host\n    restart: unless-stopped\n    env_file: .env\n    container_name: erp\n"));
        app.run(env(app), 1);
        assertEquals(List.of("::error title=Invalid input%3A compose-file::compose.yaml gives the web service web a"
                + " container_name, and production has switch: proxy, which runs it in two slots at once: one name"
                + " cannot serve both. Remove container_name from it."), app.errors());
    }

    @Test
    void slotPortsThatNoLongerNameTheServingSlotAreRefusedBeforeAnythingStarts() throws Exception {
        DeployFixture app = app(18321);
        app.run(env(app), 0);
        Files.writeString(workspace.resolve("deploy.yml"), Files.readString(workspace.resolve("deploy.yml"))
                .replace("slot-ports: [18321, 18322]", "slot-ports: [18325, 18326]"));
        app.version("v2", true);
        List<LoadLoop.Answer> answers = underLoad(app, () -> app.run(env(app), 1));
        assertEquals(List.of("::error title=Invalid deploy-config::deploy@127.0.0.1:2222: Caddy's route "
                + ProxyCommands.routeId(app.project) + " serves from port 18321, which is not one of slot-ports"
                + " [18325, 18326]. Changing slot-ports would start a release on the serving slot: keep 18321 in"
                + " slot-ports for one more deploy."), app.errors());
        assertTrue(answers.stream().allMatch(a -> a.body().equals("v1")), "v1 kept serving");
    }

    @Test
    void aComposeFileWithoutAppPortIsRefusedBeforeAnythingIsBuilt() throws Exception {
        DeployFixture app = app(18241);
        Files.writeString(workspace.resolve("compose.yaml"), """
                services:
                  web:
                    image: ${APP_IMAGE}
                    network_mode: host
                """);
        app.run(env(app), 1);
        assertEquals(List.of("::error title=Invalid input%3A compose-file::compose.yaml has no service that listens on"
                + " ${APP_PORT}, and production has switch: proxy. The action starts each release's web services on"
                + " their slot's port and sets APP_PORT to it: write, for example, 'command: gunicorn -b"
                + " 127.0.0.1:${APP_PORT} pyerp.wsgi' or 'ports: [\"127.0.0.1:${APP_PORT}:8000\"]' for the web service."),
                app.errors());
        assertFalse(app.log().contains("pushed"), app.log());
        assertEquals("404", Processes.run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "http://"
                + app.services.get("REGISTRY") + "/v2/" + app.repository.substring(app.repository.indexOf('/') + 1)
                + "/tags/list").output().strip(), "nothing pushed");
    }

    private DeployFixture app(int port) throws Exception {
        return app(port, null);
    }

    /** With {@code assetPath}, the web service mounts ${APP_ASSETS} there and deploy.yml bridges it. */
    private DeployFixture app(int port, String assetPath) throws Exception {
        DeployFixture app = new DeployFixture(workspace, port);
        apps.add(app);
        app.writeProxyCompose(assetPath);
        Files.writeString(workspace.resolve("deploy.yml"), """
                environments:
                  production:
                    switch: proxy
                    proxy-hosts: [%s]
                    proxy-admin: %s
                    proxy-server: %s
                    slot-ports: [%d, %d]
                    drain-timeout: 15s
                """.formatted(host(app), proxy.get("WEB_PROXY_ADMIN"), proxy.get("WEB_PROXY_SERVER"), port, port + 1)
                + (assetPath == null ? "" : "    asset-path: " + assetPath + "\n"));
        return app;
    }

    /** The answers of the load loop through the proxy while {@code deploy} runs. */
    private List<LoadLoop.Answer> underLoad(DeployFixture app, Deploy deploy) throws Exception {
        return underLoad(app, LoadLoop.DEADLINE_MILLIS, deploy);
    }

    /** With a deadline per request of {@code deadlineMillis}. */
    private List<LoadLoop.Answer> underLoad(DeployFixture app, int deadlineMillis, Deploy deploy) throws Exception {
        LoadLoop load = LoadLoop.start(proxy.get("WEB_PROXY"), host(app), deadlineMillis);
        try {
            deploy.run();
        } catch (Exception | AssertionError e) {
            load.stop();
            throw e;
        }
        return load.stop();
    }

    private interface Deploy {
        void run() throws Exception;
    }

    private Map<String, String> env(DeployFixture app, String... inputs) throws Exception {
        List<String> all = new ArrayList<>(List.of("INPUT_DEPLOY-CONFIG", "deploy.yml"));
        all.addAll(List.of(inputs));
        return app.env(all.toArray(String[]::new));
    }

    static String host(DeployFixture app) {
        return app.project + ".test";
    }

    private LoadLoop.Answer through(DeployFixture app, String path) {
        return LoadLoop.once(proxy.get("WEB_PROXY"), host(app), path);
    }

    /** A CGI page of busybox httpd that takes 3 s and answers "slow VERSION", in every version built from now on. */
    private void slowPage() throws Exception {
        Path cgi = Files.createDirectories(workspace.resolve("src/www/cgi-bin"));
        Path page = Files.writeString(cgi.resolve("slow"), "#!/bin/sh\nsleep 3\nprintf 'Content-Type: text/plain\\r\\n\\r\\n"
                + "slow %s\\n' \"$(cat /app/www/index.html)\"\n");
        Files.setPosixFilePermissions(page, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static List<String> running(String project) throws Exception {
        return Processes.run("docker", "ps", "-q", "--filter", "label=com.docker.compose.project=" + project).output()
                .lines().toList();
    }

    /** Slow requests back to back, so that one is always in flight, until stopped. */
    private static final class SlowRequests {
        private final List<LoadLoop.Answer> answers = Collections.synchronizedList(new ArrayList<>());
        private volatile boolean running = true;
        private final Thread thread;

        private SlowRequests(LoadLoop load) {
            thread = new Thread(() -> {
                while (running) {
                    answers.add(load.get("/cgi-bin/slow"));
                }
            });
        }

        static SlowRequests start(LoadLoop load) {
            SlowRequests slow = new SlowRequests(load);
            slow.thread.start();
            return slow;
        }

        List<LoadLoop.Answer> stop() throws InterruptedException {
            running = false;
            thread.join();
            return List.copyOf(answers);
        }
    }
}
