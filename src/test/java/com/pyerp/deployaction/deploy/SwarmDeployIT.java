package com.pyerp.deployaction.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * engine: swarm against a real single-node swarm: a {@link TestNode} whose own dockerd is a swarm manager, so that
 * the engine the other tests use never sees swarm mode. The app is the deploy fixture's busybox httpd, a stack
 * service on the host network; the JVM reaches its port through the node's relay.
 */
class SwarmDeployIT {

    private static final int SSH_PORT = 18601;
    private static TestNode manager;

    @TempDir
    Path workspace;

    @BeforeAll
    static void startSwarm() throws Exception {
        var options = TestNode.options("swarm1", SSH_PORT);
        for (int port = 18611; port <= 18616; port++) {
            options.forward(port, port);
        }
        manager = TestNode.start(options);
        manager.docker("swarm", "init", "--advertise-addr", "127.0.0.1");
    }

    @AfterAll
    static void stopSwarm() throws Exception {
        if (manager != null) {
            manager.close();
        }
    }

    /** The fixture's app as a stack of its own on the manager. */
    static DeployFixture stackApp(Path workspace, int port) throws Exception {
        DeployFixture app = new DeployFixture(workspace, port);
        writeStack(app, SSH_PORT, "s" + app.id, "");
        return app;
    }

    /**
     * The fixture's app as stack {@code stack} (version 3, the host network, .env for the service's environment), and
     * a deploy-config that sends it to the manager on {@code sshPort}; {@code deploy} is the web service's
     * {@code deploy:} section, or empty.
     */
    static void writeStack(DeployFixture app, int sshPort, String stack, String deploy) throws Exception {
        Files.writeString(app.workspace.resolve("compose.yaml"), """
                version: "3.8"
                services:
                  web:
                    image: ${APP_IMAGE}
                    env_file: .env
                    networks: [hostnet]
                %snetworks:
                  hostnet:
                    external: true
                    name: host
                """.formatted(deploy));
        Files.writeString(app.workspace.resolve("deploy.yml"), """
                environments:
                  production:
                    branches: [main]
                    engine: swarm
                    hosts: [127.0.0.1:%d]
                    app-dir: %s
                    stack: %s
                """.formatted(sshPort, app.appDir, stack));
    }

    static Map<String, String> env(DeployFixture app, String... more) throws Exception {
        Map<String, String> env = app.env("INPUT_DEPLOY-CONFIG", "deploy.yml", "INPUT_SSH-HOST", null, "INPUT_SSH-PORT", null,
                "INPUT_SSH-KNOWN-HOSTS", manager.knownHosts());
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    private static String serviceImage(DeployFixture app) throws Exception {
        return manager.docker("service", "inspect", "--format", "{{.Spec.TaskTemplate.ContainerSpec.Image}}",
                "s" + app.id + "_web").strip();
    }

    @Test
    void aReleaseRollsOutByDigestAndTheSummaryShowsWhereItRuns() throws Exception {
        try (DeployFixture app = stackApp(workspace, 18611)) {
            Map<String, String> first = app.run(env(app), 0);
            String v1 = first.get("image");
            assertEquals("v1", app.probe());
            assertEquals(v1, serviceImage(app), "the service runs the digest the action reported");
            assertTrue(app.log().contains("::group::deploy@127.0.0.1:" + SSH_PORT + " · Health"), app.log());
            String summary = Files.readString(app.summary);
            assertTrue(summary.contains("| s" + app.id + "_web | 1/1 | `" + v1 + "` | swarm1 |"), summary);

            app.version("v2", true);
            Map<String, String> second = app.run(env(app), 0);
            assertEquals("v2", app.probe());
            assertEquals(second.get("image"), serviceImage(app));
            assertEquals(v1, second.get("previous-image"));
            assertTrue(app.log().contains("rollout defaults for web, which set no update_config"), app.log());
            String log = app.log().lines().filter(line -> !line.startsWith("::add-mask::")).reduce("", String::concat)
                    + Files.readString(app.summary);
            assertFalse(log.contains(app.secret), "the .env secret never reaches the log or the summary");
            assertTrue(manager.docker("service", "inspect", "--format", "{{json .Spec.TaskTemplate.ContainerSpec.Env}}",
                    "s" + app.id + "_web").contains("SECRET_KEY=" + app.secret), "env_file: .env is the service's environment");
            assertEquals(second.get("image") + "\n", app.onServer(".deploy/current-image"));

            Map<String, String> back = app.run(env(app, "INPUT_COMMAND", "rollback"), 0);
            assertEquals(second.get("image"), back.get("previous-image"), "command: rollback goes to the release before");
            assertEquals("v1", app.probe());
            assertEquals(v1, serviceImage(app));
        }
    }

    @Test
    void throughAFallbackManagerSecretsReachNeitherTheOutputNorAnyProcessList() throws Exception {
        String registryPassword = "registry-" + java.util.UUID.randomUUID();
        try (DeployFixture app = stackApp(workspace, 18615)) {
            // The first manager listed does not answer: the deploy goes through the next one.
            Files.writeString(workspace.resolve("deploy.yml"), Files.readString(workspace.resolve("deploy.yml"))
                    .replace("hosts: [127.0.0.1:" + SSH_PORT + "]", "hosts: [127.0.0.1:18609, 127.0.0.1:" + SSH_PORT + "]"));
            List<String> processes = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            Thread ps = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        Process list = new ProcessBuilder("ps", "-eo", "args").start();
                        processes.add(new String(list.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                        list.waitFor();
                        Thread.sleep(50);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            ps.start();
            Map<String, String> outputs = app.run(env(app, "INPUT_REGISTRY-USERNAME", "ci-bot", "INPUT_REGISTRY-PASSWORD",
                    registryPassword, "INPUT_MIGRATE-COMMAND", "sh -c 'sleep 1; echo migrating with $SECRET_KEY'"), 0);
            ps.interrupt();
            ps.join();
            assertEquals("v1", app.probe());
            assertTrue(app.log().contains("::warning title=Swarm manager unreachable::deploy@127.0.0.1:18609 does not answer ("),
                    app.log());
            assertTrue(app.log().contains("); trying the next manager, deploy@127.0.0.1:" + SSH_PORT + "."), app.log());
            assertTrue(app.log().contains("  migrating with ***"), "the migration got .env's secret, masked: " + app.log());
            String processList = String.join("\n", processes);
            assertTrue(processList.contains("migrating with"), "the process list was sampled during the deploy");
            String everything = app.log().lines().filter(line -> !line.startsWith("::add-mask::"))
                    .collect(java.util.stream.Collectors.joining("\n")) + outputs + Files.readString(app.summary);
            for (String secret : List.of(registryPassword, app.secret)) {
                assertFalse(everything.contains(secret), "in the output: " + secret);
                assertFalse(processList.contains(secret), "in a process list: " + secret);
            }
            // docker login stores "user:password" base64-encoded, so look for that form too.
            String storedLogin = java.util.Base64.getEncoder().encodeToString(("ci-bot:" + registryPassword)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(1, com.pyerp.deployaction.testing.Processes.run("grep", "-rlF", "-e", registryPassword, "-e",
                    storedLogin, app.serverRoot.toString()).exitCode(), "the throwaway login is gone");
        }
    }

    @Test
    void aReleaseWhoseContainerExitsIsRolledBackBySwarm() throws Exception {
        try (DeployFixture app = stackApp(workspace, 18612)) {
            String v1 = app.run(env(app), 0).get("image");
            app.version("v2", true);
            Files.writeString(workspace.resolve("src/run.sh"), "#!/bin/sh\necho release v2 cannot start >&2\nexit 1\n");
            app.run(env(app, "INPUT_HEALTH-TIMEOUT", "60s"), 1);
            assertEquals(1, app.errors().size(), app.log());
            assertRolledBack(app, v1, "Swarm rolled s" + app.id + "_web back");
        }
    }

    /** The step failed with one error that says {@code why} and that {@code v1} is back, which serves again. */
    private static void assertRolledBack(DeployFixture app, String v1, String why) throws Exception {
        String error = app.errors().get(0);
        assertTrue(error.contains(why), error);
        assertTrue(error.contains("Rolled back to " + v1), error);
        assertEquals("v1", app.probe());
        assertEquals(v1, serviceImage(app));
    }

    @Test
    void aReleaseThatFailsHealthUrlIsRolledBackByTheAction() throws Exception {
        try (DeployFixture app = stackApp(workspace, 18613)) {
            String v1 = app.run(env(app), 0).get("image");
            app.version("v2", false);
            app.run(env(app), 1);
            assertEquals(1, app.errors().size(), app.log());
            assertRolledBack(app, v1, "the new version failed its health check (http://127.0.0.1:18613/health answered 404");
            assertTrue(app.log().contains("docker service rollback --detach --quiet s" + app.id + "_web"), app.log());
        }
    }

    @Test
    void aFailingMigrationUpdatesNothing() throws Exception {
        try (DeployFixture app = stackApp(workspace, 18614)) {
            String v1 = app.run(env(app), 0).get("image");
            String tasks = manager.docker("service", "ps", "-q", "s" + app.id + "_web");
            app.version("v2", true);
            app.run(env(app, "INPUT_MIGRATE-COMMAND", "sh -c 'echo migrating on $PORT >&2; exit 3'"), 1);
            assertEquals(1, app.errors().size(), app.log());
            String error = app.errors().get(0);
            assertTrue(error.startsWith("::error title=Migration failed::deploy@127.0.0.1:" + SSH_PORT + ": "), error);
            assertTrue(error.contains("migrating on 18614") && error.contains("exited with status 3"), error);
            assertTrue(error.endsWith("Nothing was updated: the stack runs the old release, with its compose.yaml and .env"
                    + " put back."), error);
            assertEquals(v1, serviceImage(app));
            assertEquals(tasks, manager.docker("service", "ps", "-q", "s" + app.id + "_web"), "no task was replaced");
            assertEquals("v1", app.probe());
        }
    }

    @Test
    void aServerThatIsNoSwarmManagerIsRefusedWithTheFix() throws Exception {
        try (TestNode plain = TestNode.start(TestNode.options("noswarm", 18602));
                DeployFixture app = stackApp(workspace, 18616)) {
            Files.writeString(workspace.resolve("deploy.yml"), Files.readString(workspace.resolve("deploy.yml"))
                    .replace("127.0.0.1:" + SSH_PORT, "127.0.0.1:18602"));
            app.run(env(app, "INPUT_SSH-KNOWN-HOSTS", plain.knownHosts()), 1);
            assertEquals(List.of("::error title=Server not ready::deploy@127.0.0.1:18602: engine: swarm deploys through a"
                    + " swarm manager, and its docker engine is not in a swarm (Swarm: inactive). List a manager in hosts,"
                    + " make this one a manager (docker swarm init, or run the action with command: setup-server and"
                    + " swarm: init), or set engine: compose."), app.errors());
            assertEquals("", plain.docker("ps", "-aq").strip(), "nothing ran");
            assertFalse(Files.exists(Path.of(app.appDir, "compose.yaml")), "nothing was uploaded");
        }
    }
}
