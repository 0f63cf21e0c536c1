package com.pyerp.deployaction.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.testing.Processes;
import com.pyerp.deployaction.testing.TestNode;
import com.pyerp.deployaction.testing.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code swarm: init} run by the shipped jar, as a workflow step, against a {@link TestNode}: a server with its own
 * dockerd, so that only that engine ever enters swarm mode, never the main engine the other tests share. The node's
 * login is the {@code deploy} user, in group docker and without root, so setup-server runs as the app user itself and
 * the swarm commands run as that user.
 */
class SetupSwarmIT {

    private static final String JAR = System.getProperty("shippedJar");

    @TempDir
    Path dir;

    record Run(int exitCode, String output, String summary, String outputs) {
        List<String> lines(String prefix) {
            return output.lines().filter(line -> line.startsWith(prefix)).toList();
        }

        String outcome(String step) {
            return output.lines().filter(line -> line.startsWith(String.format("%-15s ", step))).findFirst()
                    .map(line -> line.substring(15).strip().split("\\s+")[0]).orElse("(no line for " + step + ")");
        }

        /** Everything the runner shows: the log without its ::add-mask:: lines, the summary and the outputs. */
        String shown() {
            return String.join("\n", output.lines().filter(line -> !line.startsWith("::add-mask::")).toList())
                    + summary + outputs;
        }
    }

    @Test
    void swarmInitMakesTheNodeASingleNodeManagerOnceAndTheJoinTokenIsOnlyEverMasked() throws Exception {
        TestServices services = TestServices.require("SSH");
        String mainEngine = swarmState();
        assertEquals("inactive", mainEngine, "the main engine must never be in swarm mode");
        try (TestNode node = TestNode.start(TestNode.options("swarmit", 18460))) {
            Map<String, String> inputs = new LinkedHashMap<>();
            inputs.put("command", "setup-server");
            inputs.put("ssh-host", node.host() + ":" + node.sshPort());
            inputs.put("ssh-user", node.user());
            inputs.put("app-user", node.user());
            inputs.put("ssh-key", Files.readString(Path.of(services.get("SSH_KEY_FILE"))));
            inputs.put("ssh-known-hosts", node.knownHosts());
            inputs.put("app-dir", "/home/" + node.user() + "/swarm-it-" + ProcessHandle.current().pid());
            inputs.put("env-file", "EMAIL_HOST=smtp.example.com\n");
            inputs.put("swarm", "init");
            try {
                // The node has only its loopback: no default route, and hostname -I names nothing.
                Run noAddress = run(inputs);
                assertEquals(1, noAddress.exitCode(), noAddress.output());
                assertEquals(1, noAddress.lines("::error").size(), noAddress.output());
                String error = noAddress.lines("::error").get(0);
                assertTrue(error.startsWith("::error title=No swarm manager::Input 'swarm' is init, but on 127.0.0.1"
                        + " setup-server cannot tell which address the swarm should advertise"), error);
                assertTrue(error.contains("Set 'swarm-advertise-addr'") && error.endsWith("Nothing was changed."), error);
                assertFalse(noAddress.output().contains("Exception"), noAddress.output());
                assertEquals("inactive false\n", node.docker("info", "--format",
                        "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}"));

                inputs.put("swarm-advertise-addr", "127.0.0.1");
                Run first = run(inputs);
                assertEquals(0, first.exitCode(), first.output());
                assertEquals("created", first.outcome("swarm"), first.output());
                assertTrue(first.output().contains("$ [app] sh -c " + SwarmPlan.INIT + " swarm-init 127.0.0.1"), first.output());
                assertEquals("active true 127.0.0.1\n", node.docker("info", "--format",
                        "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}} {{.Swarm.NodeAddr}}"));
                assertTrue(first.summary().contains("| swarm | created | docker swarm init --advertise-addr 127.0.0.1"
                        + " (swarm-advertise-addr) |"), first.summary());
                String token = node.docker("swarm", "join-token", "-q", "worker").strip();
                assertOnlyMasked(first, token);

                Run second = run(inputs);
                assertEquals(0, second.exitCode(), second.output());
                assertEquals("unchanged", second.outcome("swarm"), second.output());
                assertTrue(second.summary().contains("| swarm | unchanged | a swarm manager, advertising 127.0.0.1 |"),
                        second.summary());
                assertEquals("active true\n", node.docker("info", "--format",
                        "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}"));
                assertEquals(token, node.docker("swarm", "join-token", "-q", "worker").strip(), "the same swarm");
                assertOnlyMasked(second, token);
            } finally {
                node.exec("rm", "-rf", inputs.get("app-dir"));
            }
        }
        assertEquals("inactive", swarmState(), "the main engine is still not in swarm mode");
    }

    /** The runner learns the token first, from ::add-mask::, and shows the join command with *** for it only. */
    private static void assertOnlyMasked(Run run, String token) {
        assertTrue(token.startsWith("SWMTKN-"), "a join token");
        List<String> lines = run.output().lines().toList();
        int mask = lines.indexOf("::add-mask::" + token);
        assertTrue(mask >= 0, run.output());
        Optional<String> earlier = lines.subList(0, mask).stream().filter(line -> line.contains(token)).findFirst();
        assertEquals(Optional.empty(), earlier);
        assertTrue(lines.contains("  docker swarm join --token *** 127.0.0.1:2377"), run.output());
        assertFalse(run.shown().contains(token), "the join token was shown");
        assertFalse(run.shown().contains(token.substring(token.lastIndexOf('-') + 1)), "the token's secret part was shown");
    }

    private static String swarmState() throws Exception {
        return Processes.run("docker", "info", "--format", "{{.Swarm.LocalNodeState}}").output().strip();
    }

    private Run run(Map<String, String> inputs) throws Exception {
        Path output = Files.createTempFile(dir, "output", "");
        Path summary = Files.createTempFile(dir, "summary", "");
        Map<String, String> env = new HashMap<>(Map.of("GITHUB_ACTIONS", "true", "GITHUB_OUTPUT", output.toString(),
                "GITHUB_STEP_SUMMARY", summary.toString(), "GITHUB_REPOSITORY", "octo/erp", "GITHUB_EVENT_NAME",
                "workflow_dispatch", "GITHUB_REF", "refs/heads/main", "GITHUB_SHA",
                "0123456789abcdef0123456789abcdef01234567", "GITHUB_API_URL", "http://127.0.0.1:1"));
        inputs.forEach((name, value) -> env.put("INPUT_" + name.toUpperCase(), value));
        Processes.Result result = Processes.run(List.of("java", "-jar", JAR), env);
        return new Run(result.exitCode(), result.output(), Files.readString(summary), Files.readString(output));
    }
}
