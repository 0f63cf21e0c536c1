package com.pyerp.deployaction.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Another server on this machine, for tests that need more than one: its own pid, network, mount and UTS
 * namespaces (hostname = its name), its own dockerd (data root in its directory; socket, exec root and containerd
 * on its own tmpfs /run, so {@code docker} inside it talks to it at the default /var/run/docker.sock), its own
 * sshd for the {@code deploy} user and, with {@link TestNodeOptions#withProxy()}, its own Caddy with the test services'
 * web-proxy configuration (admin 127.0.0.1:2019, server {@code pyerp} on 127.0.0.1:18680) — all on the node's own
 * loopback, which the test JVM reaches through relays: 127.0.0.1:{@code sshPort} in the JVM's namespace leads to
 * the node's sshd on the same port, and {@link #forward} adds more. Inside the node, 127.0.0.1:5000 and :5443 lead
 * to the test services' registries, so its dockerd pulls the same images.
 *
 * <pre>{@code
 * try (TestNode node = TestNode.start(TestNode.options("n1", 18401).withProxy()
 *         .withPrivateDirectory(appDirParent).forward(18402, 18680))) {
 *     ssh -p node.sshPort() deploy@node.host() ...;  node.docker("ps");  node.exec("curl", ...);
 * }
 * }</pre>
 *
 * The node's init ({@code test-node-init.sh}) is pid 1 of its pid namespace, and every process of the node, the
 * relays included, lives in that namespace: when the init dies, the kernel kills them all, and the node's mounts,
 * network devices and veth links go with its namespaces. {@link #close()} stops it and removes its directory and
 * the cgroups its containers left; {@link #start} first removes whatever an earlier run with the same name left.
 * Needs root, like {@link TestSshd}.
 */
public final class TestNode implements AutoCloseable {

    /** Where nodes keep their files: readable by the deploy user, whose sshd reads its authorized keys there. */
    public static final Path ROOT = Path.of("/var/tmp/pyerp-deploy-tests");

    private static final AtomicInteger LINKS = new AtomicInteger();
    /**
     * socat listens with a backlog of 5 by default: a load loop's burst of connections overflows it, and the kernel
     * drops their SYNs, which clients see as connect or read timeouts.
     */
    private static final String BACKLOG = ",backlog=128";

    /** The two ends of a {@link #link}: each node's address on it. */
    public record Link(String firstAddress, String secondAddress) {}

    private final TestNodeOptions options;
    private final Path directory;
    private final Process unshare;
    private final long pid;
    private final List<Process> relays = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::closeQuietly);
    private boolean closed;

    private TestNode(TestNodeOptions options, Path directory, Process unshare, long pid) {
        this.options = options;
        this.directory = directory;
        this.unshare = unshare;
        this.pid = pid;
    }

    /** A node named {@code name} (1-10 lower-case letters and digits) whose sshd listens on {@code sshPort}. */
    public static TestNodeOptions options(String name, int sshPort) {
        return new TestNodeOptions(name, sshPort);
    }

    /** Starts the node and returns once its dockerd, Caddy (if asked for), sshd and relays all answer. */
    public static TestNode start(TestNodeOptions options) throws Exception {
        TestSshd.requireRoot("TestNode needs root for its namespaces, dockerd and sshd");
        TestServices services = TestServices.require("REGISTRY");
        Path directory = ROOT.resolve("node-" + options.name);
        removeLeftovers(options.name, directory);
        writeFiles(options, directory, services);
        ProcessBuilder builder = new ProcessBuilder("unshare", "--net", "--mount", "--propagation", "private",
                "--pid", "--uts", "--fork", "--kill-child", "bash", directory.resolve("init.sh").toString())
                .redirectErrorStream(true).redirectOutput(directory.resolve("init.log").toFile());
        builder.environment().keySet().removeIf(variable -> variable.startsWith("DOCKER_")
                || variable.toLowerCase().endsWith("_proxy"));
        builder.environment().putAll(Map.of("NODE_NAME", options.name, "NODE_DIR", directory.toString(),
                "SSH_PORT", String.valueOf(options.sshPort), "PROXY", options.proxy ? "1" : "0"));
        Process unshare = builder.start();
        unshare.getOutputStream().close();
        for (int tenth = 0; !Files.exists(directory.resolve("ready")); tenth++) {
            if (!unshare.isAlive() || tenth > 900) {
                String why = "node " + options.name + " did not start: " + Files.readString(directory.resolve("init.log"))
                        + tail(directory.resolve("dockerd.log")) + tail(directory.resolve("caddy.log"));
                unshare.destroyForcibly();
                unshare.waitFor(10, TimeUnit.SECONDS);
                removeLeftovers(options.name, directory);
                fail(why);
            }
            Thread.sleep(100);
        }
        long pid = unshare.children().findFirst().orElseThrow().pid();
        TestNode node = new TestNode(options, directory, unshare, pid);
        // A test that never closes its node must not leave it running after the JVM.
        Runtime.getRuntime().addShutdownHook(node.shutdownHook);
        try {
            for (String registry : List.of("REGISTRY", "TLS_REGISTRY")) {
                String address = services.get(registry);
                int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
                node.relay("out-" + port, List.of("-n", "-m"), "TCP-LISTEN:" + port + ",bind=127.0.0.1,fork,reuseaddr",
                        List.of(), "TCP:" + address);
            }
            node.forward(options.sshPort, options.sshPort);
            for (Map.Entry<Integer, Integer> forward : options.forwards.entrySet()) {
                node.forward(forward.getKey(), forward.getValue());
            }
        } catch (Throwable e) {
            node.close();
            throw e;
        }
        return node;
    }

    public String name() {
        return options.name;
    }

    /** Where the JVM reaches the node's sshd (through a relay). */
    public String host() {
        return "127.0.0.1";
    }

    public int sshPort() {
        return options.sshPort;
    }

    public String user() {
        return TestSshd.USER;
    }

    /** {@code [127.0.0.1]:PORT TYPE KEY} lines for the node's sshd, as ssh-keyscan prints them. */
    public String knownHosts() throws IOException {
        return TestSshd.knownHosts(directory.resolve("sshd"), options.sshPort);
    }

    /** What the node's sshd logged (LogLevel VERBOSE). */
    public String sshLog() throws IOException {
        Path log = directory.resolve("sshd/sshd.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** The node's init process, as the JVM sees it: {@code /proc/PID/ns/*} are the node's namespaces. */
    public long pid() {
        return pid;
    }

    /** The node's files: its dockerd's data root is {@code docker/} in it, its logs are {@code *.log}. */
    public Path directory() {
        return directory;
    }

    /** Where the JVM sees the directory that {@link TestNodeOptions#withPrivateDirectory} mounted over {@code mountPoint}. */
    public Path privateDirectory(Path mountPoint) {
        int index = options.privateMountPoints.indexOf(mountPoint.toAbsolutePath().normalize());
        if (index < 0) {
            fail("node " + options.name + " mounts nothing of its own over " + mountPoint);
        }
        return directory.resolve("private/" + index);
    }

    /** Runs a command as root inside the node (all its namespaces) and returns its output; fails on a non-zero exit. */
    public String exec(String... command) throws Exception {
        Processes.Result result = run(command);
        if (result.exitCode() != 0) {
            fail("node " + options.name + ": " + String.join(" ", command) + " exited with " + result.exitCode()
                    + ": " + result.output());
        }
        return result.output();
    }

    /** Runs a command as root inside the node and returns its exit code and output, whatever they are. */
    public Processes.Result run(String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of("nsenter", "-t", String.valueOf(pid), "-n", "-m", "-p", "-u", "--"));
        line.addAll(List.of(command));
        return Processes.run(line, Map.of("DOCKER_HOST", "unix:///run/docker.sock", "NO_PROXY", "*", "no_proxy", "*"));
    }

    /** {@code docker ARGS...} against the node's engine; fails on a non-zero exit. */
    public String docker(String... arguments) throws Exception {
        return exec(Stream.concat(Stream.of("docker"), Stream.of(arguments)).toArray(String[]::new));
    }

    /** Relays 127.0.0.1:{@code rootPort} of the JVM's namespace to the node's 127.0.0.1:{@code nodePort}. */
    public void forward(int rootPort, int nodePort) throws Exception {
        try (ServerSocket free = new ServerSocket()) {
            free.bind(new InetSocketAddress("127.0.0.1", rootPort));
        } catch (IOException taken) {
            fail("node " + options.name + " cannot forward 127.0.0.1:" + rootPort + ": " + taken.getMessage());
        }
        relay("in-" + rootPort, List.of(), "TCP-LISTEN:" + rootPort + ",bind=127.0.0.1,fork,reuseaddr",
                List.of("-n", "-m"), "TCP:127.0.0.1:" + nodePort);
        for (int tenth = 0; ; tenth++) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", rootPort), 200);
                return;
            } catch (IOException notYet) {
                if (tenth > 50) {
                    fail("node " + options.name + ": the relay on 127.0.0.1:" + rootPort + " does not listen: "
                            + tail(directory.resolve("relay/in-" + rootPort + ".log")));
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * Connects the two nodes with a veth pair (device {@code veth-OTHERNAME} in each), on a /24 of its own in
     * 10.231.0.0/16; returns their addresses (without the prefix length).
     */
    public static Link link(TestNode first, TestNode second) throws Exception {
        int subnet = LINKS.incrementAndGet() % 250 + 1;
        Link link = new Link("10.231." + subnet + ".1", "10.231." + subnet + ".2");
        String firstDevice = "veth-" + second.options.name;
        String secondDevice = "veth-" + first.options.name;
        Processes.Result added = Processes.run("ip", "link", "add", "name", firstDevice, "netns",
                String.valueOf(first.pid), "type", "veth", "peer", "name", secondDevice, "netns", String.valueOf(second.pid));
        if (added.exitCode() != 0) {
            fail("cannot link " + first.options.name + " and " + second.options.name + ": " + added.output());
        }
        first.exec("ip", "address", "add", link.firstAddress() + "/24", "dev", firstDevice);
        first.exec("ip", "link", "set", firstDevice, "up");
        second.exec("ip", "address", "add", link.secondAddress() + "/24", "dev", secondDevice);
        second.exec("ip", "link", "set", secondDevice, "up");
        return link;
    }

    /** Stops the node: its containers are killed, its dockerd stops, its namespaces and files go. */
    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook itself is closing the node
        }
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        if (!unshare.waitFor(30, TimeUnit.SECONDS)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            unshare.waitFor(10, TimeUnit.SECONDS);
        }
        // Each relay's nsenter waits for its socat, which died with the node; until it exits it holds the node's
        // mount namespace.
        for (Process relay : relays) {
            if (!relay.waitFor(5, TimeUnit.SECONDS)) {
                relay.destroyForcibly();
            }
        }
        removeLeftovers(options.name, directory);
    }

    private void closeQuietly() {
        try {
            close();
        } catch (Exception ignored) {
            // the JVM is exiting; the next start removes what is left
        }
    }

    /**
     * Starts a relay from {@code listen} to {@code connect} as two socat processes, each in the node's pid
     * namespace and in the namespaces its {@code nsenter} options name (none: the JVM's network namespace), joined
     * by a unix socket in the node's directory, which both sides see.
     */
    private void relay(String name, List<String> listenNamespaces, String listen, List<String> connectNamespaces,
            String connect) throws Exception {
        Path socket = directory.resolve("relay/" + name + ".sock");
        spawn(name + "-connect", connectNamespaces, "UNIX-LISTEN:" + socket + ",fork,unlink-early" + BACKLOG, connect);
        for (int tenth = 0; !Files.exists(socket); tenth++) {
            if (tenth > 50) {
                fail("node " + options.name + ": relay " + name + " does not start: "
                        + tail(directory.resolve("relay/" + name + "-connect.log")));
            }
            Thread.sleep(100);
        }
        spawn(name, listenNamespaces, listen + BACKLOG, "UNIX-CONNECT:" + socket);
    }

    private void spawn(String name, List<String> namespaces, String... socatAddresses) throws IOException {
        List<String> command = new ArrayList<>(List.of("nsenter", "-t", String.valueOf(pid), "-p"));
        command.addAll(namespaces);
        command.addAll(List.of("--", "socat"));
        command.addAll(List.of(socatAddresses));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve("relay/" + name + ".log").toFile()).start();
        process.getOutputStream().close();
        relays.add(process);
    }

    private static void writeFiles(TestNodeOptions options, Path directory, TestServices services) throws Exception {
        Files.createDirectories(directory.resolve("relay"));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (InputStream init = TestNode.class.getResourceAsStream("test-node-init.sh")) {
            Files.write(directory.resolve("init.sh"), init.readAllBytes());
        }
        Files.writeString(directory.resolve("daemon.json"), """
                {"bridge": "none", "iptables": false, "ip-forward": false, "ip-masq": false,
                 "data-root": "%s", "exec-root": "/run/docker", "pidfile": "/run/docker.pid",
                 "hosts": ["unix:///run/docker.sock"], "group": "docker", "cgroup-parent": "%s"}
                """.formatted(directory.resolve("docker"), cgroupParent(options.name)));
        List<String> mounts = new ArrayList<>();
        for (int index = 0; index < options.privateMountPoints.size(); index++) {
            Path source = directory.resolve("private/" + index);
            Files.createDirectories(source);
            Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.createDirectories(options.privateMountPoints.get(index));
            mounts.add(source + " " + options.privateMountPoints.get(index));
        }
        Files.write(directory.resolve("mounts"), mounts);
        List<String> keys = List.of(Files.readString(Path.of(services.get("SSH_KEY_FILE") + ".pub")).trim());
        TestSshd.writeServerFiles(directory.resolve("sshd"), options.sshPort, keys, options.sshEnvironment, true);
        for (String caddyDirectory : List.of("home", "data", "config")) {
            Files.createDirectories(directory.resolve("caddy/" + caddyDirectory));
        }
        // The test services' web-proxy configuration (scripts/web-proxy), on the node's loopback.
        Files.writeString(directory.resolve("caddy/caddy.json"), """
                {"admin": {"listen": "127.0.0.1:2019", "config": {"persist": false}},
                 "apps": {"http": {"servers": {"pyerp": {"listen": ["127.0.0.1:18680"],
                     "automatic_https": {"disable": true}}}}}}
                """);
    }

    /** Its containers' cgroups, below the cgroup of the dockerd that made them in each hierarchy. */
    private static String cgroupParent(String name) {
        return "pyerp-node-" + name;
    }

    /**
     * Kills what an earlier node of this name left running (its init first: the kernel then kills the rest of its
     * pid namespace), removes its cgroups and its directory.
     */
    private static void removeLeftovers(String name, Path directory) throws Exception {
        String init = directory.resolve("init.sh").toString();
        kill(process -> arguments(process).contains(init));
        // The relays' nsenter, outside the node's pid namespace, exits once its socat is gone.
        kill(process -> arguments(process).stream().anyMatch(argument -> argument.contains(directory + "/")));
        // rmdir removes an empty cgroup; -depth takes the containers' cgroups before their parent's.
        Processes.run("find", "/sys/fs/cgroup", "-depth", "-type", "d", "(", "-name", cgroupParent(name), "-o", "-path",
                "*/" + cgroupParent(name) + "/*", ")", "-exec", "rmdir", "{}", ";");
        Processes.Result removed = Processes.run("rm", "-rf", directory.toString());
        if (removed.exitCode() != 0) {
            fail("cannot remove " + directory + ": " + removed.output());
        }
    }

    private static void kill(java.util.function.Predicate<ProcessHandle> which) throws Exception {
        List<ProcessHandle> processes = ProcessHandle.allProcesses().filter(which).toList();
        processes.forEach(ProcessHandle::destroyForcibly);
        for (int tenth = 0; tenth < 100 && processes.stream().anyMatch(TestNode::running); tenth++) {
            Thread.sleep(100);
        }
    }

    /** Alive and not a zombie: this machine's init is slow to reap the orphans it inherits. */
    private static boolean running(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            return process.isAlive() && stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException gone) {
            return false;
        }
    }

    private static List<String> arguments(ProcessHandle process) {
        return process.info().arguments().map(List::of).orElse(List.of());
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        List<String> lines = Files.readAllLines(log);
        return "\n--- " + log + " ---\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
