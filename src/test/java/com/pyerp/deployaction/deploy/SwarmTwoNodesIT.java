package com.pyerp.deployaction.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * engine: swarm on two nodes: a manager and a worker, each a {@link TestNode} with its own dockerd, joined over a veth
 * link between their namespaces. The action reaches only the manager; Swarm runs the release on both.
 */
class SwarmTwoNodesIT {

    private static final int SSH_PORT = 18621;
    private static final int APP_PORT = 18622;
    /** Where the JVM reaches the worker's copy of the app. */
    private static final int WORKER_APP_PORT = 18623;

    @TempDir
    Path workspace;

    @Test
    void aGlobalServiceRollsOutOnBothNodesThroughTheManager() throws Exception {
        try (TestNode manager = TestNode.start(TestNode.options("swarm3", SSH_PORT).forward(APP_PORT, APP_PORT));
                TestNode worker = TestNode.start(TestNode.options("swarm4", 18624).forward(WORKER_APP_PORT, APP_PORT));
                DeployFixture app = new DeployFixture(workspace, APP_PORT)) {
            TestNode.Link link = TestNode.link(manager, worker);
            manager.docker("swarm", "init", "--advertise-addr", link.firstAddress(), "--listen-addr",
                    link.firstAddress() + ":2377");
            String token = manager.docker("swarm", "join-token", "-q", "worker").strip();
            worker.docker("swarm", "join", "--token", token, "--advertise-addr", link.secondAddress(), "--listen-addr",
                    link.secondAddress() + ":2377", link.firstAddress() + ":2377");
            SwarmDeployIT.writeStack(app, SSH_PORT, "two", "    deploy:\n      mode: global\n");
            Map<String, String> env = app.env("INPUT_DEPLOY-CONFIG", "deploy.yml", "INPUT_SSH-HOST", null, "INPUT_SSH-PORT",
                    null, "INPUT_SSH-KNOWN-HOSTS", manager.knownHosts(), "INPUT_HEALTH-TIMEOUT", "60s");
            app.run(env, 0);
            assertEquals("v1", app.probe());
            assertEquals("v1", DeployFixture.probe(WORKER_APP_PORT));

            app.version("v2", true);
            String v2 = app.run(env, 0).get("image");
            assertEquals("v2", app.probe(), "the manager's task");
            assertEquals("v2", DeployFixture.probe(WORKER_APP_PORT), "the worker's task");
            List<String> tasks = manager.docker("service", "ps", "--filter", "desired-state=running", "--format",
                    "{{.Node}} {{.Image}}", "two_web").strip().lines().sorted().toList();
            assertEquals(List.of("swarm3 " + v2, "swarm4 " + v2), tasks);
            String summary = Files.readString(app.summary);
            assertTrue(summary.contains("| two_web | 2/2 | `" + v2 + "` | swarm3, swarm4 |")
                    || summary.contains("| two_web | 2/2 | `" + v2 + "` | swarm4, swarm3 |"), summary);
        }
    }
}
