package com.pyerp.deployaction.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A private OpenSSH server for one test, on a loopback port of the deploy tests' range (18000-18999): its own
 * fresh host keys (ed25519, ecdsa, rsa), its own authorized keys for the {@code deploy} user that
 * {@code scripts/test-services} created, and its own log, so a test can check what the server saw. Needs root
 * (sshd switches to the user), as the test services do.
 */
public final class TestSshd implements AutoCloseable {

    public static final String USER = "deploy";

    private final Path directory;
    private final int port;
    private final Process process;

    private TestSshd(Path directory, int port, Process process) {
        this.directory = directory;
        this.port = port;
        this.process = process;
    }

    /**
     * Starts sshd on 127.0.0.1:{@code port}, letting in the given public keys (authorized_keys lines). Its files
     * live under /var/tmp, because the deploy user must be able to read its authorized keys (JUnit's temporary
     * directories are private to root).
     */
    public static TestSshd start(int port, List<String> authorizedKeys) throws Exception {
        return start(port, authorizedKeys, java.util.Map.of(), null, null);
    }

    /**
     * A server that looks like another machine: its sessions get {@code environment} (sshd's SetEnv), and, when
     * {@code privateDirectory} is given, see it mounted over {@code mountPoint} (a private mount namespace), so that
     * two servers on this machine have separate files there.
     */
    public static TestSshd start(int port, List<String> authorizedKeys, java.util.Map<String, String> environment,
            Path privateDirectory, Path mountPoint) throws Exception {
        return start(port, authorizedKeys, environment, privateDirectory, mountPoint, true);
    }

    /** A hardened server whose sshd has no {@code Subsystem sftp} line: SFTP requests are refused. */
    public static TestSshd startWithoutSftp(int port, List<String> authorizedKeys) throws Exception {
        return start(port, authorizedKeys, java.util.Map.of(), null, null, false);
    }

    private static TestSshd start(int port, List<String> authorizedKeys, java.util.Map<String, String> environment,
            Path privateDirectory, Path mountPoint, boolean sftp) throws Exception {
        Path directory = Path.of("/var/tmp/pyerp-deploy-tests/sshd-" + port);
        requireRoot("TestSshd needs root to run its own sshd");
        run("rm", "-rf", directory.toString());
        Path config = writeServerFiles(directory, port, authorizedKeys, environment, sftp);
        Files.createDirectories(Path.of("/run/sshd"));
        Path log = directory.resolve("sshd.log");
        Files.deleteIfExists(log);
        List<String> command = new ArrayList<>();
        if (privateDirectory != null) {
            Files.createDirectories(privateDirectory);
            Files.createDirectories(mountPoint);
            Files.setPosixFilePermissions(privateDirectory, PosixFilePermissions.fromString("rwxrwxrwx"));
            command.addAll(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                    "mount --bind \"$1\" \"$2\" && shift 2 && exec \"$@\"", "sh", privateDirectory.toString(),
                    mountPoint.toString()));
        }
        command.addAll(List.of("/usr/sbin/sshd", "-D", "-f", config.toString(), "-E", log.toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(directory.resolve("sshd.out").toFile()).start();
        TestSshd sshd = new TestSshd(directory, port, process);
        for (int i = 0; i < 100; i++) {
            if (!process.isAlive()) {
                fail("sshd on port " + port + " exited: " + Files.readString(directory.resolve("sshd.out"))
                        + (Files.exists(log) ? Files.readString(log) : ""));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return sshd;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        sshd.close();
        fail("sshd on port " + port + " does not answer");
        return null;
    }

    /**
     * Writes a server's files into {@code directory} (created, readable by the deploy user): fresh host keys, the
     * authorized keys and an sshd_config for 127.0.0.1:{@code port}, which it returns. {@link TestNode} runs the
     * same server inside its namespaces.
     */
    static Path writeServerFiles(Path directory, int port, List<String> authorizedKeys,
            java.util.Map<String, String> environment, boolean sftp) throws Exception {
        Files.createDirectories(directory);
        Files.setPosixFilePermissions(directory.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String type : List.of("ed25519", "ecdsa", "rsa")) {
            run("ssh-keygen", "-q", "-t", type, "-N", "", "-C", "test-sshd", "-f", directory.resolve("host_" + type).toString());
        }
        Path authorized = directory.resolve("authorized_keys");
        Files.write(authorized, authorizedKeys);
        Files.setPosixFilePermissions(authorized, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path config = directory.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "Port " + port, "ListenAddress 127.0.0.1", "AddressFamily inet",
                "HostKey " + directory.resolve("host_ed25519"), "HostKey " + directory.resolve("host_ecdsa"),
                "HostKey " + directory.resolve("host_rsa"), "PidFile none",
                "PasswordAuthentication no", "KbdInteractiveAuthentication no", "PubkeyAuthentication yes",
                "AuthorizedKeysFile " + authorized, "StrictModes no", "UsePAM no", "PermitRootLogin no",
                "AllowUsers " + USER, "X11Forwarding no", "PrintMotd no", "MaxStartups 100:30:200", "MaxSessions 50",
                "LogLevel VERBOSE", sftp ? "Subsystem sftp /usr/lib/openssh/sftp-server" : "", ""));
        if (!environment.isEmpty()) {
            // sshd honours only the first SetEnv line, so all variables go on one.
            Files.writeString(config, "SetEnv " + String.join(" ", environment.entrySet().stream()
                    .map(variable -> variable.getKey() + "=" + variable.getValue()).toList()) + "\n",
                    java.nio.file.StandardOpenOption.APPEND);
        }
        return config;
    }

    /** {@code [127.0.0.1]:PORT TYPE KEY} lines for the host keys that {@link #writeServerFiles} wrote. */
    static String knownHosts(Path directory, int port) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String type : List.of("ed25519", "ecdsa", "rsa")) {
            String[] pub = Files.readString(directory.resolve("host_" + type + ".pub")).split(" ");
            lines.add("[127.0.0.1]:" + port + " " + pub[0] + " " + pub[1]);
        }
        return String.join("\n", lines) + "\n";
    }

    /** Aborts the test when not root, or fails it under CI, where integration tests never skip. */
    static void requireRoot(String why) {
        if (!"root".equals(System.getProperty("user.name"))) {
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
    }

    public int port() {
        return port;
    }

    public String host() {
        return "127.0.0.1";
    }

    /** {@code [127.0.0.1]:PORT TYPE KEY} lines for all of its host keys, as ssh-keyscan prints them. */
    public String knownHosts() throws IOException {
        return knownHosts(directory, port);
    }

    /** The SHA256 fingerprint of its host key of this type (ed25519, ecdsa or rsa). */
    public String fingerprint(String type) throws Exception {
        String line = run("ssh-keygen", "-lf", directory.resolve("host_" + type + ".pub").toString());
        return line.split(" ")[1];
    }

    /** Kills every SSH session from the server side, as a crashed or restarted server would; sshd keeps listening. */
    public void killSessions() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
    }

    public String log() throws IOException {
        Path log = directory.resolve("sshd.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /**
     * How many clients have connected so far, counted once sshd has finished logging: it writes a connection's last
     * lines after the client has already gone, so comparing whole logs races with it.
     */
    public long connections() throws Exception {
        String settled = log();
        for (int wait = 0; wait < 50; wait++) {
            Thread.sleep(100);
            String now = log();
            if (now.equals(settled)) {
                break;
            }
            settled = now;
        }
        return settled.lines().filter(line -> line.contains("Connection from")).count();
    }

    /** Stops the server and removes its files. */
    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        run("rm", "-rf", directory.toString());
    }

    /** Generates a client key pair; returns the private key text. The public key is at {@code file.pub}. */
    public static String clientKey(Path file, String type, String format, String passphrase) throws Exception {
        List<String> command = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", "test",
                "-f", file.toString()));
        if (!format.equals("openssh")) {
            command.addAll(List.of("-m", format));
        }
        run(command.toArray(String[]::new));
        return Files.readString(file);
    }

    private static String run(String... command) throws Exception {
        Processes.Result result = Processes.run(command);
        if (result.exitCode() != 0) {
            fail(String.join(" ", command) + ": " + result.output());
        }
        return result.output();
    }
}
