package com.pyerp.deployaction.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.testing.Processes;
import com.pyerp.deployaction.testing.TestSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two servers on this machine: two sshd instances, each in its own mount namespace (its own app-dir) and with its
 * own Compose project and port (sshd SetEnv), sharing the docker engine.
 */
class MultiHostDeployIT {

    @TempDir
    Path workspace;

    @Test
    void parallelDeploysReachEveryHostAndARollingOneStopsAtTheFirstFailure() throws Exception {
        try (DeployFixture app = new DeployFixture(workspace, 18311)) {
            // Each server sees its own directory at the fixture's place.
            Path mountPoint = app.serverRoot;
            // Each server's web service listens on its own port, which sshd passes to Compose.
            Files.writeString(workspace.resolve("compose.yaml"), """
                        environment:
                          PORT: "${SLOT_PORT}"
                    """, StandardOpenOption.APPEND);
            List<String> keys = List.of(Files.readString(Path.of(app.services.get("SSH_KEY_FILE") + ".pub")));
            Path root1 = Path.of("/var/tmp/pyerp-deploy-tests/host1-" + app.id);
            Path root2 = Path.of("/var/tmp/pyerp-deploy-tests/host2-" + app.id);
            try (TestSshd host1 = TestSshd.start(18301, keys, Map.of("COMPOSE_PROJECT_NAME", app.project + "-h1", "SLOT_PORT", "18311"),
                    root1, mountPoint);
                    TestSshd host2 = TestSshd.start(18302, keys, Map.of("COMPOSE_PROJECT_NAME", app.project + "-h2", "SLOT_PORT", "18312"),
                            root2, mountPoint)) {
                Files.writeString(workspace.resolve("deploy.yml"), """
                        environments:
                          staging:
                            branches: [main]
                            hosts: [127.0.0.1:18301, 127.0.0.1:18302]
                            app-dir: %s
                            strategy: %s
                        """.formatted(app.appDir, "parallel"));
                Map<String, String> outputs = app.run(app.env("INPUT_DEPLOY-CONFIG", "deploy.yml", "INPUT_SSH-HOST", null,
                        "INPUT_SSH-PORT", null, "INPUT_HEALTH-URL", null, "INPUT_SSH-KNOWN-HOSTS", host1.knownHosts() + host2.knownHosts()), 0);
                assertEquals("staging", outputs.get("environment"));
                assertEquals("v1", DeployFixture.probe(18311));
                assertEquals("v1", DeployFixture.probe(18312));
                assertTrue(Files.exists(root1.resolve("app-" + app.id + "/.deploy/current-image")));
                assertTrue(Files.exists(root2.resolve("app-" + app.id + "/.deploy/current-image")));
                String summary = Files.readString(app.summary);
                assertTrue(summary.contains("| deploy@127.0.0.1:18301 | deployed |") && summary.contains("| deploy@127.0.0.1:18302 | deployed |"),
                        summary);

                String before = containers(app.project + "-h2");
                Files.writeString(workspace.resolve("deploy.yml"), Files.readString(workspace.resolve("deploy.yml"))
                        .replace("strategy: parallel", "strategy: rolling"));
                app.version("v2", true);
                Files.writeString(workspace.resolve("src/run.sh"), "#!/bin/sh\necho broken; exit 1\n");
                app.run(app.env("INPUT_DEPLOY-CONFIG", "deploy.yml", "INPUT_SSH-HOST", null, "INPUT_SSH-PORT", null, "INPUT_HEALTH-URL", null,
                        "INPUT_SSH-KNOWN-HOSTS", host1.knownHosts() + host2.knownHosts()), 1);
                assertEquals(1, app.errors().size(), app.log());
                assertTrue(app.errors().get(0).contains("deploy@127.0.0.1:18301: the new version failed its health check"),
                        app.errors().get(0));
                assertEquals("v1", DeployFixture.probe(18311), "host 1 rolled back");
                assertEquals("v1", DeployFixture.probe(18312), "host 2 untouched");
                assertEquals(before, containers(app.project + "-h2"), "host 2's container was never replaced");
                summary = Files.readString(app.summary);
                assertTrue(summary.contains("| deploy@127.0.0.1:18301 | rolled back |"), summary);
            } finally {
                for (String project : List.of(app.project + "-h1", app.project + "-h2")) {
                    for (String container : containers(project).lines().toList()) {
                        Processes.run("docker", "rm", "-f", container);
                    }
                }
                Processes.run("rm", "-rf", root1.toString(), root2.toString());
            }
        }
    }

    private static String containers(String project) throws Exception {
        return Processes.run("docker", "ps", "-aq", "--no-trunc", "--filter", "label=com.docker.compose.project=" + project).output();
    }
}
