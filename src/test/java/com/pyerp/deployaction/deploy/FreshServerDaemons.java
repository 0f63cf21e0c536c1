package com.pyerp.deployaction.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import com.pyerp.deployaction.testing.Processes;
import com.pyerp.deployaction.testing.TestNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The fresh server's own dockerd and Caddy, started by hand because it has no service manager
 * ({@code fresh-server-daemons.sh}): chrooted into its root, in a pid and mount namespace of their own and this
 * machine's network namespace, so the server's containers (host network) and Caddy listen on this machine's
 * loopback. Caddy starts from {@code caddyConfig}, which {@link #start} writes into the server's /etc/caddy. Closing
 * stops them, and with them every mount they needed and their containers' cgroups.
 */
final class FreshServerDaemons implements AutoCloseable {

    private static final Path DIRECTORY = TestNode.ROOT.resolve("fresh-server-daemons");
    private static final String CGROUP_PARENT = "pyerp-fresh-server";
    private static final String CADDY_CONFIG = "/etc/caddy/pyerp-test.json";

    private final Process unshare;
    private final long init;
    private final Thread shutdownHook = new Thread(this::closeQuietly);
    private boolean closed;

    private FreshServerDaemons(Process unshare, long init) {
        this.unshare = unshare;
        this.init = init;
    }

    /** Starts them on the server whose root file system is {@code root}; returns once both answer. */
    static FreshServerDaemons start(Path root, String caddyAdmin, String caddyConfig) throws Exception {
        removeLeftovers();
        Processes.run("rm", "-rf", DIRECTORY.toString());
        Files.createDirectories(DIRECTORY);
        try (InputStream script = FreshServerDaemons.class.getResourceAsStream("fresh-server-daemons.sh")) {
            Files.write(DIRECTORY.resolve("init.sh"), script.readAllBytes());
        }
        Files.writeString(root.resolve(CADDY_CONFIG.substring(1)), caddyConfig);
        ProcessBuilder builder = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "--pid", "--fork",
                "--kill-child", "bash", DIRECTORY.resolve("init.sh").toString()).redirectErrorStream(true)
                .redirectOutput(DIRECTORY.resolve("init.log").toFile());
        builder.environment().keySet().removeIf(variable -> variable.startsWith("DOCKER_")
                || variable.toLowerCase().endsWith("_proxy"));
        builder.environment().putAll(Map.of("FRESH_ROOT", root.toString(), "DAEMONS_DIR", DIRECTORY.toString(),
                "CADDY_CONFIG", CADDY_CONFIG, "CADDY_ADMIN", caddyAdmin, "CGROUP_PARENT", CGROUP_PARENT));
        Process unshare = builder.start();
        unshare.getOutputStream().close();
        for (int tenth = 0; !Files.exists(DIRECTORY.resolve("ready")); tenth++) {
            if (!unshare.isAlive() || tenth > 900) {
                String why = "the fresh server's dockerd and Caddy did not start: " + logs();
                unshare.children().forEach(ProcessHandle::destroyForcibly);
                unshare.waitFor(30, TimeUnit.SECONDS);
                removeLeftovers();
                fail(why);
            }
            Thread.sleep(100);
        }
        FreshServerDaemons daemons = new FreshServerDaemons(unshare, unshare.children().findFirst().orElseThrow().pid());
        Runtime.getRuntime().addShutdownHook(daemons.shutdownHook);
        return daemons;
    }

    /** The last lines of the init's, dockerd's and Caddy's logs, for a failure message. */
    static String logs() throws IOException {
        StringBuilder text = new StringBuilder();
        for (String log : List.of("init.log", "dockerd.log", "caddy.log")) {
            Path file = DIRECTORY.resolve(log);
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file);
                text.append("\n--- ").append(file).append(" ---\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
            }
        }
        return text.toString();
    }

    /** Stops Caddy, the containers and dockerd (SIGTERM to the init, which stops them), then removes their cgroups; the logs stay. */
    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook itself is closing them
        }
        ProcessHandle.of(init).ifPresent(ProcessHandle::destroy);
        if (!unshare.waitFor(30, TimeUnit.SECONDS)) {
            // SIGKILL to a pid namespace's init kills every process in it
            ProcessHandle.of(init).ifPresent(ProcessHandle::destroyForcibly);
            unshare.waitFor(10, TimeUnit.SECONDS);
        }
        removeLeftovers();
    }

    private void closeQuietly() {
        try {
            close();
        } catch (Exception ignored) {
            // the JVM is exiting; the next start removes what is left
        }
    }

    /** Kills an init that an earlier run left (the kernel then kills the rest of its namespace) and removes the cgroups. */
    private static void removeLeftovers() throws Exception {
        String script = DIRECTORY.resolve("init.sh").toString();
        List<ProcessHandle> left = ProcessHandle.allProcesses().filter(process -> process.info().arguments()
                .map(List::of).orElse(List.of()).contains(script)).toList();
        left.forEach(ProcessHandle::destroyForcibly);
        for (int tenth = 0; tenth < 100 && left.stream().anyMatch(ProcessHandle::isAlive); tenth++) {
            Thread.sleep(100);
        }
        // rmdir removes an empty cgroup; -depth takes the containers' cgroups before their parent's.
        Processes.run("find", "/sys/fs/cgroup", "-depth", "-type", "d", "(", "-name", CGROUP_PARENT, "-o", "-path",
                "*/" + CGROUP_PARENT + "/*", ")", "-exec", "rmdir", "{}", ";");
    }
}
