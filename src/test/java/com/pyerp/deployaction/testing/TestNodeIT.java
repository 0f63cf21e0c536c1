package com.pyerp.deployaction.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TestNode makes other servers on this machine, each with its own engine, sshd and Caddy, that leave nothing behind. */
class TestNodeIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final TestServices services = TestServices.require("REGISTRY", "SSH");

    @TempDir
    Path workspace;

    @Test
    void sshLeadsToTheNodesOwnEngineAndPrivateDirectory() throws Exception {
        String mainEngine = Processes.run("docker", "info", "--format", "{{.Name}} {{.DockerRootDir}}").output();
        Path mountPoint = Path.of("/var/tmp/pyerp-deploy-tests/test-node-it-mount");
        try (TestNode node = TestNode.start(TestNode.options("n1", 18440).withPrivateDirectory(mountPoint)
                .withSshEnvironment(Map.of("NODE_GREETING", "hello")))) {
            assertEquals("n1 " + node.directory().resolve("docker") + "\n",
                    ssh(node, "docker info --format '{{.Name}} {{.DockerRootDir}}'"));
            assertEquals("hello\n", ssh(node, "echo $NODE_GREETING"));
            ssh(node, "echo from-n1 > " + mountPoint + "/file");
            assertEquals("from-n1\n", Files.readString(node.privateDirectory(mountPoint).resolve("file")));
            assertFalse(Files.exists(mountPoint.resolve("file")), "the JVM's namespace sees its own directory");
            assertEquals(mainEngine, Processes.run("docker", "info", "--format", "{{.Name}} {{.DockerRootDir}}").output());
            assertTrue(node.sshLog().contains("Accepted publickey for deploy"), node.sshLog());
        } finally {
            Files.deleteIfExists(mountPoint);
        }
    }

    @Test
    void theNodesEnginePullsFromTheRegistryAndItsPortsAreReachedOnlyThroughForward() throws Exception {
        try (TestNode node = TestNode.start(TestNode.options("n2", 18441).forward(18442, 18443))) {
            node.docker("pull", "-q", services.get("BASE_IMAGE"));
            assertEquals("401", node.exec("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert",
                    services.get("TLS_REGISTRY_CA"), "https://" + services.get("TLS_REGISTRY") + "/v2/"),
                    "the TLS registry answers inside the node too");
            node.docker("run", "-d", "--name", "web", "--network", "host", services.get("BASE_IMAGE"),
                    "httpd", "-f", "-p", "127.0.0.1:18443", "-h", "/etc");
            assertEquals("n2", awaitBody(18442, "/hostname", "").trim(), "a host-network container has the node's hostname");
            assertThrows(IOException.class, () -> get(18443, "/hostname"), "the node's port is not the JVM's");
            assertEquals("", Processes.run("docker", "ps", "-q", "--filter", "name=^web$").output(),
                    "the main engine runs no such container");
        }
    }

    @Test
    void theNodesCaddyIsItsOwn() throws Exception {
        String mainCaddy = get(2019, "/config/");
        try (TestNode node = TestNode.start(TestNode.options("n3", 18444).withProxy().forward(18445, 18680))) {
            assertTrue(node.exec("curl", "-sf", "http://127.0.0.1:2019/config/apps/http/servers/pyerp")
                    .contains("\"127.0.0.1:18680\""));
            node.exec("curl", "-sf", "-X", "PUT", "-H", "Content-Type: application/json", "-d",
                    "[{\"handle\": [{\"handler\": \"static_response\", \"body\": \"caddy of n3\"}]}]",
                    "http://127.0.0.1:2019/config/apps/http/servers/pyerp/routes");
            assertEquals("caddy of n3", get(18445, "/"));
            assertEquals(mainCaddy, get(2019, "/config/"), "the main Caddy's configuration is untouched");
        }
    }

    @Test
    void aNodeRunsSwarmModeWhileTheMainEngineDoesNot() throws Exception {
        String rootDevices = Processes.run("ip", "-br", "link").output();
        try (TestNode node = TestNode.start(TestNode.options("n4", 18446))) {
            node.docker("swarm", "init", "--advertise-addr", "127.0.0.1");
            node.docker("service", "create", "-q", "--detach", "--name", "web", "--network", "host",
                    services.get("BASE_IMAGE"), "httpd", "-f", "-p", "127.0.0.1:18447", "-h", "/etc");
            awaitTasks(node, "web", 1);
            assertEquals("active\n", node.docker("info", "--format", "{{.Swarm.LocalNodeState}}"));
            assertEquals("inactive\n", Processes.run("docker", "info", "--format", "{{.Swarm.LocalNodeState}}").output());
            assertEquals(rootDevices, Processes.run("ip", "-br", "link").output(),
                    "swarm's bridges (docker_gwbridge) are the node's: " + node.exec("ip", "-br", "link"));
            node.docker("swarm", "leave", "--force");
        }
        assertEquals("inactive\n", Processes.run("docker", "info", "--format", "{{.Swarm.LocalNodeState}}").output());
    }

    @Test
    void twoLinkedNodesFormASwarmThatPlacesATaskOnEach() throws Exception {
        try (TestNode manager = TestNode.start(TestNode.options("n5", 18448));
                TestNode worker = TestNode.start(TestNode.options("n6", 18449))) {
            TestNode.Link link = TestNode.link(manager, worker);
            manager.exec("busybox", "ping", "-c", "1", "-W", "2", link.secondAddress());
            manager.docker("swarm", "init", "--advertise-addr", link.firstAddress(), "--listen-addr",
                    link.firstAddress() + ":2377");
            String token = manager.docker("swarm", "join-token", "-q", "worker").trim();
            worker.docker("swarm", "join", "--token", token, "--advertise-addr", link.secondAddress(),
                    "--listen-addr", link.secondAddress() + ":2377", link.firstAddress() + ":2377");
            manager.docker("service", "create", "-q", "--detach", "--name", "web", "--network", "host",
                    "--replicas", "2", "--replicas-max-per-node", "1", services.get("BASE_IMAGE"),
                    "httpd", "-f", "-p", "127.0.0.1:18450", "-h", "/etc");
            assertEquals(List.of("n5", "n6"), awaitTasks(manager, "web", 2));
            assertEquals("n5", manager.exec("curl", "-sf", "http://127.0.0.1:18450/hostname").trim());
            assertEquals("n6", worker.exec("curl", "-sf", "http://127.0.0.1:18450/hostname").trim());
        }
    }

    @Test
    void closeLeavesNothingBehindAndAStartReplacesALeftoverNode() throws Exception {
        TestNode stale = TestNode.start(TestNode.options("n7", 18451));
        List<ProcessHandle> staleProcesses = processesIn(stale);
        // A second start with the same name, as after a crashed run: the old node goes first.
        try (TestNode node = TestNode.start(TestNode.options("n7", 18451))) {
            assertEquals(List.of(), running(staleProcesses), "the stale node's processes are gone");
            node.docker("run", "-d", "--network", "host", services.get("BASE_IMAGE"), "sleep", "600");
            List<ProcessHandle> processes = processesIn(node);
            assertTrue(running(processes).stream().anyMatch(process -> process.endsWith(" sleep 600")), "the container runs");
                node.close();
            assertFalse(Files.exists(node.directory()), node.directory() + " is removed");
            assertEquals(List.of(), running(processes), "no process of the node is left");
        }
        assertEquals("", Processes.run("find", "/sys/fs/cgroup", "-name", "pyerp-node-n7").output(), "no cgroup is left");
        assertTrue(Processes.run("grep", "node-n7", "/proc/self/mountinfo").exitCode() != 0, "no mount is left");
        // A GET would fail on the node's sshd as well as on nothing: the port is free only when the relay is gone.
        try (java.net.ServerSocket free = new java.net.ServerSocket(18451, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertTrue(free.isBound(), "the relay is gone");
        }
        try (TestNode again = TestNode.start(TestNode.options("n7", 18451))) {
            assertEquals("n7\n", again.docker("info", "--format", "{{.Name}}"));
        }
    }

    private String ssh(TestNode node, String command) throws Exception {
        Path knownHosts = workspace.resolve("known_hosts-" + node.name());
        Files.writeString(knownHosts, node.knownHosts());
        Processes.Result result = Processes.run("ssh", "-i", services.get("SSH_KEY_FILE"), "-p", String.valueOf(node.sshPort()),
                "-o", "UserKnownHostsFile=" + knownHosts, "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes",
                node.user() + "@" + node.host(), command);
        if (result.exitCode() != 0) {
            fail("ssh " + command + ": " + result.output() + node.sshLog());
        }
        return result.output();
    }

    /** The nodes that run a task of the service, sorted, once {@code count} of them are running. */
    private static List<String> awaitTasks(TestNode manager, String service, int count) throws Exception {
        String tasks = "";
        for (int second = 0; second < 60; second++) {
            tasks = manager.docker("service", "ps", service, "--filter", "desired-state=running",
                    "--format", "{{.Node}} {{.CurrentState}}");
            List<String> running = tasks.lines().filter(task -> task.contains(" Running")).map(task -> task.split(" ")[0])
                    .sorted().toList();
            if (running.size() == count) {
                return running;
            }
            Thread.sleep(1000);
        }
        return fail("service " + service + " does not run " + count + " tasks: " + tasks
                + manager.docker("service", "ps", "--no-trunc", service));
    }

    /** The processes in the node's network namespace (the relays' root-side halves are not). */
    private static List<ProcessHandle> processesIn(TestNode node) throws IOException {
        Path network = Files.readSymbolicLink(Path.of("/proc/" + node.pid() + "/ns/net"));
        return ProcessHandle.allProcesses().filter(process -> {
            try {
                return Files.readSymbolicLink(Path.of("/proc/" + process.pid() + "/ns/net")).equals(network);
            } catch (IOException gone) {
                return false;
            }
        }).toList();
    }

    /** Those still running, with their command lines; a zombie is not running. */
    private static List<String> running(List<ProcessHandle> processes) {
        return processes.stream().filter(process -> process.isAlive() && !zombie(process))
                .map(process -> process.pid() + " " + commandLine(process)).toList();
    }

    private static String commandLine(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc/" + process.pid() + "/cmdline")).replace('\0', ' ').trim();
        } catch (IOException gone) {
            return "";
        }
    }

    private static boolean zombie(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (IOException gone) {
            return true;
        }
    }

    private static String awaitBody(int port, String path, String unwanted) throws Exception {
        for (int tenth = 0; ; tenth++) {
            try {
                String body = get(port, path);
                if (!body.equals(unwanted)) {
                    return body;
                }
            } catch (IOException notYet) {
                if (tenth > 100) {
                    throw notYet;
                }
            }
            Thread.sleep(100);
        }
    }

    private static String get(int port, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " on port " + port + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }
}
