package com.pyerp.deployaction.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code switch: proxy} with {@code strategy: rolling} on two servers, each a {@link TestNode} with its own dockerd,
 * sshd, Caddy and app-dir: a load loop asks the app through both Caddies during each deploy, and every request must
 * succeed, answered by the right version.
 */
class TwoProxiesDeployIT {

    private static final int SSH_PORT_1 = 18701;
    private static final int SSH_PORT_2 = 18702;
    /** Where the JVM reaches each node's Caddy server (127.0.0.1:18680 inside the node). */
    private static final int PROXY_1 = 18711;
    private static final int PROXY_2 = 18712;
    /** The blue slot's port, on each node's own loopback; green is the next one. */
    private static final int SLOT_PORT = 18721;
    private static final String HOST_1 = "deploy@127.0.0.1:" + SSH_PORT_1;
    private static final String HOST_2 = "deploy@127.0.0.1:" + SSH_PORT_2;

    @TempDir
    Path workspace;

    @Test
    void aRollingDeployStopsAtTheFirstUnhealthyHostAndAGoodOneSwitchesEachHostOnItsOwn() throws Exception {
        try (DeployFixture app = new DeployFixture(workspace, SLOT_PORT);
                TestNode node1 = node("twoprox1", SSH_PORT_1, PROXY_1, app);
                TestNode node2 = node("twoprox2", SSH_PORT_2, PROXY_2, app)) {
            app.writeProxyCompose(null);
            Files.writeString(workspace.resolve("deploy.yml"), """
                    environments:
                      production:
                        hosts: [127.0.0.1:%d, 127.0.0.1:%d]
                        app-dir: %s
                        strategy: rolling
                        switch: proxy
                        proxy-hosts: [%s]
                        slot-ports: [%d, %d]
                        health-url: http://127.0.0.1:%d/health
                        drain-timeout: 15s
                    """.formatted(SSH_PORT_1, SSH_PORT_2, app.appDir, host(app), SLOT_PORT, SLOT_PORT + 1, SLOT_PORT));
            String knownHosts = node1.knownHosts() + node2.knownHosts();

            String v1 = app.run(env(app, knownHosts), 0).get("image");
            assertEquals("v1", LoadLoop.once(proxy(PROXY_1), host(app), "/").body());
            assertEquals("v1", LoadLoop.once(proxy(PROXY_2), host(app), "/").body());
            assertTrue(Files.readString(app.summary).contains("| " + HOST_2 + " | deployed | " + v1 + " | - |"),
                    Files.readString(app.summary));

            app.version("v2", false);
            String node2Containers = node2.docker("ps", "-aq", "--no-trunc");
            Loads unhealthy = underLoad(app, () -> app.run(env(app, knownHosts, "INPUT_HEALTH-TIMEOUT", "4s"), 1));

            unhealthy.assertNoFailures("v1", "v2");
            assertTrue(unhealthy.all().stream().allMatch(a -> a.body().equals("v1")), "only v1 answered, on both hosts");
            List<String> errors = app.errors();
            assertEquals(1, errors.size(), app.log());
            assertTrue(errors.get(0).contains(HOST_1 + ": the new version failed its health check (http://127.0.0.1:"
                    + (SLOT_PORT + 1) + "/health answered 404") && errors.get(0).contains("Nothing was switched: the old"
                    + " version kept serving through the proxy."), errors.get(0));
            assertEquals(SLOT_PORT, servingPort(node1, app), "host 1's Caddy still serves the blue slot");
            assertEquals("", node1.docker("ps", "-q", "--filter", "label=com.docker.compose.project=" + app.project
                    + "-green"), "host 1's new slot is stopped");
            assertEquals(node2Containers, node2.docker("ps", "-aq", "--no-trunc"), "host 2 was never touched");
            assertEquals(SLOT_PORT, servingPort(node2, app));
            String summary = Files.readString(app.summary);
            assertTrue(summary.contains("| " + HOST_1 + " | failed health check, old version kept serving | " + v1
                    + " | " + v1 + " |"), summary);
            assertTrue(summary.contains("| " + HOST_2 + " | not reached: the deploy stopped before this host | " + v1
                    + " | " + v1 + " |"), summary);

            app.version("v2", true);
            AtomicReference<Map<String, String>> outputs = new AtomicReference<>();
            Loads good = underLoad(app, () -> outputs.set(app.run(env(app, knownHosts), 0)));

            good.assertNoFailures("v1", "v2");
            for (List<LoadLoop.Answer> answers : List.of(good.first(), good.second())) {
                assertEquals("v2", answers.get(answers.size() - 1).body());
            }
            long host1Switched = good.first().stream().filter(a -> a.body().equals("v2")).mapToLong(LoadLoop.Answer::ended)
                    .min().orElseThrow();
            assertTrue(good.second().stream().anyMatch(a -> a.body().equals("v1") && a.started() > host1Switched),
                    "host 2 still served v1 after host 1 had switched: each host switches on its own");
            String v2 = outputs.get().get("image");
            assertEquals(v1, outputs.get().get("previous-image"));
            assertEquals(SLOT_PORT + 1, servingPort(node1, app));
            assertEquals(SLOT_PORT + 1, servingPort(node2, app));
            summary = Files.readString(app.summary);
            for (String host : List.of(HOST_1, HOST_2)) {
                assertTrue(summary.contains("| " + host + " | deployed | " + v2 + " | " + v1 + " |"), summary);
            }
        }
    }

    /** A server with its own Caddy, whose app-dir's parent is a directory of its own. */
    private static TestNode node(String name, int sshPort, int proxyPort, DeployFixture app) throws Exception {
        return TestNode.start(TestNode.options(name, sshPort).withProxy().withPrivateDirectory(app.serverRoot)
                .forward(proxyPort, 18680));
    }

    private static Map<String, String> env(DeployFixture app, String knownHosts, String... inputs) throws Exception {
        Map<String, String> env = app.env("INPUT_DEPLOY-CONFIG", "deploy.yml", "INPUT_SSH-HOST", null, "INPUT_SSH-PORT",
                null, "INPUT_HEALTH-URL", null, "INPUT_SSH-KNOWN-HOSTS", knownHosts);
        for (int i = 0; i < inputs.length; i += 2) {
            env.put(inputs[i], inputs[i + 1]);
        }
        return env;
    }

    private static String host(DeployFixture app) {
        return ZeroDowntimeDeployIT.host(app);
    }

    private static String proxy(int port) {
        return "127.0.0.1:" + port;
    }

    /** The slot port that the app's route in the node's Caddy sends requests to. */
    private static int servingPort(TestNode node, DeployFixture app) throws Exception {
        return ProxyCommands.servingPort(node.exec("curl", "-sf", "http://127.0.0.1:2019/id/"
                + ProxyCommands.routeId(app.project))).orElseThrow();
    }

    /** The load loops' answers through each host's proxy while {@code deploy} ran, and how long it ran. */
    private static Loads underLoad(DeployFixture app, Deploy deploy) throws Exception {
        long started = System.currentTimeMillis();
        LoadLoop first = LoadLoop.start(proxy(PROXY_1), host(app));
        LoadLoop second = LoadLoop.start(proxy(PROXY_2), host(app));
        List<LoadLoop.Answer> firstAnswers;
        List<LoadLoop.Answer> secondAnswers;
        try {
            deploy.run();
        } finally {
            firstAnswers = first.stop();
            secondAnswers = second.stop();
        }
        return new Loads(firstAnswers, secondAnswers, System.currentTimeMillis() - started, app.log());
    }

    private interface Deploy {
        void run() throws Exception;
    }

    private record Loads(List<LoadLoop.Answer> first, List<LoadLoop.Answer> second, long millis, String log) {

        List<LoadLoop.Answer> all() {
            return Stream.concat(first.stream(), second.stream()).toList();
        }

        /** Every request through either proxy succeeded, with {@code old} until {@code fresh} answered; 20+ a second. */
        void assertNoFailures(String old, String fresh) {
            for (List<LoadLoop.Answer> answers : List.of(first, second)) {
                System.out.printf("%d answers in %d ms (%s %d, %s %d), %d failed%n", answers.size(), millis, old,
                        answers.stream().filter(a -> a.body().equals(old)).count(), fresh,
                        answers.stream().filter(a -> a.body().equals(fresh)).count(),
                        LoadLoop.failures(answers, old, fresh).size());
                assertEquals(List.of(), LoadLoop.failures(answers, old, fresh), "failed requests:\n" + log);
                assertTrue(answers.size() >= 20 * (millis / 1000), answers.size() + " answers in " + millis + " ms");
            }
        }
    }
}
