package com.pyerp.deployaction.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.testing.TestServices;
import com.pyerp.deployaction.testing.TestSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The SSH layer against real OpenSSH servers: the shared test sshd and private ones on ports 18000-18099. */
class SshConnectionIT {

    static TestServices services;
    static SshEndpoint server;
    static SshKey key;
    static String knownHosts;
    static final SshOptions FAST = new SshOptions(Duration.ofSeconds(5), Duration.ofSeconds(5), 2, Duration.ofMillis(100));

    @TempDir
    Path directory;

    @BeforeAll
    static void servers() throws Exception {
        services = TestServices.require("SSH");
        server = new SshEndpoint(services.get("SSH_USER"), services.get("SSH_HOST"), Integer.parseInt(services.get("SSH_PORT")));
        key = SshKey.parse(Files.readString(Path.of(services.get("SSH_KEY_FILE"))), "");
        knownHosts = Files.readString(Path.of(services.get("SSH_KNOWN_HOSTS_FILE")));
    }

    private static SshConnection connect(HostKeyPolicy policy) {
        return new SshConnector(key, policy, null, FAST).connect(server, warning -> {}, notice -> {});
    }

    @Test
    void runsArgvWithStdinAndReportsExitStatusAndOutput() {
        try (SshConnection ssh = connect(HostKeyPolicy.of(knownHosts, List.of()))) {
            List<String> lines = Collections.synchronizedList(new ArrayList<>());
            CommandResult result = ssh.execute(RemoteCommand.of("sh", "-c", "cat; echo \"$1\" >&2; exit 3", "-", "it's $HOME")
                    .withStdin("from stdin\n"), (stderr, line) -> lines.add((stderr ? "err " : "out ") + line));
            assertEquals(3, result.exitStatus());
            assertEquals("from stdin\n", result.stdout());
            assertEquals("it's $HOME\n", result.stderr());
            assertTrue(lines.containsAll(List.of("out from stdin", "err it's $HOME")), lines.toString());

            RemoteCommandException failed = assertThrows(RemoteCommandException.class,
                    () -> ssh.run(RemoteCommand.of("ls", "/no/such/dir"), OutputListener.SILENT));
            assertTrue(failed.getMessage().startsWith("'ls /no/such/dir' exited with status 2: ls: cannot access"),
                    failed.getMessage());
            assertEquals("deploy\n", ssh.run(RemoteCommand.of("id", "-un").in("/tmp"), OutputListener.SILENT).stdout());
        }
    }

    @Test
    void outputIsStreamedWhileTheCommandRuns() {
        try (SshConnection ssh = connect(HostKeyPolicy.of(knownHosts, List.of()))) {
            List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
            ssh.run(RemoteCommand.of("sh", "-c", "echo first; sleep 1; echo second"),
                    (stderr, line) -> arrivals.add(System.nanoTime()));
            assertEquals(2, arrivals.size());
            assertTrue(arrivals.get(1) - arrivals.get(0) > 700_000_000L, "the first line came before the command ended");
        }
    }

    @Test
    void theServerStopsCommandsAtTheirTimeout() {
        try (SshConnection ssh = connect(HostKeyPolicy.of(knownHosts, List.of()))) {
            long start = System.nanoTime();
            RemoteCommandException e = assertThrows(RemoteCommandException.class, () -> ssh.run(
                    RemoteCommand.of("sleep", "30").withTimeout(Duration.ofSeconds(1)), OutputListener.SILENT));
            assertTrue(System.nanoTime() - start < 10_000_000_000L);
            assertEquals(CommandResult.TIMED_OUT, e.result().exitStatus());
            assertTrue(e.getMessage().endsWith("timed out on the server after 1s."), e.getMessage());
        }
    }

    @Test
    void aConnectionDroppedByTheServerFailsTheCommandWithoutAStatus() {
        try (SshConnection ssh = connect(HostKeyPolicy.of(knownHosts, List.of()))) {
            // The session's sshd process is the parent of timeout, which is the parent of this shell.
            RemoteCommandException e = assertThrows(RemoteCommandException.class, () -> ssh.execute(RemoteCommand.of("sh", "-c",
                    "kill -9 $(ps -o ppid= -p $PPID); sleep 20"), OutputListener.SILENT));
            assertNull(e.result());
            assertTrue(e.getMessage().contains("connection"), e.getMessage());
        }
    }

    @Test
    void uploadsReplaceFilesAtomicallyWithTheGivenModeAndNameTheRealCauseOfAFailure() throws Exception {
        List<String> notices = new ArrayList<>();
        try (SshConnection ssh = new SshConnector(key, HostKeyPolicy.of(knownHosts, List.of()), null, FAST)
                .connect(server, warning -> {}, notices::add)) {
            assertUploadsAtomicallyAndNamesTheCauseOfAFailure(ssh);
        }
        assertEquals(List.of(), notices, "this server offers SFTP");
    }

    @Test
    void withoutSftpOnTheServerUploadsGoOverTheExecChannelWithTheSameGuarantees() throws Exception {
        try (TestSshd sshd = TestSshd.startWithoutSftp(18004, List.of(Files.readString(Path.of(services.get("SSH_KEY_FILE") + ".pub"))))) {
            List<String> notices = new ArrayList<>();
            SshEndpoint target = new SshEndpoint("deploy", sshd.host(), sshd.port());
            try (SshConnection ssh = new SshConnector(key, HostKeyPolicy.of(sshd.knownHosts(), List.of()), null, FAST)
                    .connect(target, warning -> {}, notices::add)) {
                assertUploadsAtomicallyAndNamesTheCauseOfAFailure(ssh);
            }
            assertEquals(1, notices.size(), "one notice per connection: " + notices);
            assertTrue(notices.get(0).startsWith("deploy@127.0.0.1:18004 offers no SFTP"), notices.get(0));
            assertTrue(notices.get(0).contains("over the SSH exec channel"), notices.get(0));
            assertTrue(sshd.log().contains("subsystem request for sftp by user deploy failed"), sshd.log());
        }
    }

    /** Replaces, modes, no temporary files left, and each failure named by its cause, on whichever channel. */
    private static void assertUploadsAtomicallyAndNamesTheCauseOfAFailure(SshConnection ssh) throws Exception {
        Path dir = Path.of("/tmp/pyerp-upload-it-" + UUID.randomUUID());
        Path rootOwned = Path.of(dir + "-root");
        try {
            ssh.run(RemoteCommand.of("mkdir", "-m", "0755", dir.toString()), OutputListener.SILENT);
            ssh.upload("A=1\n".getBytes(), dir + "/.env", 0600);
            ssh.upload("A=2\nSECRET=x\n".getBytes(), dir + "/.env", 0600);
            ssh.upload("services: {}\n".getBytes(), dir + "/compose.yaml", 0644);
            assertEquals("600 A=2\nSECRET=x\n", ssh.run(RemoteCommand.of("sh", "-c", "stat -c '%a ' .env | tr -d '\\n'; cat .env")
                    .in(dir.toString()), OutputListener.SILENT).stdout());
            assertEquals("644\n", ssh.run(RemoteCommand.of("stat", "-c", "%a", "compose.yaml").in(dir.toString()),
                    OutputListener.SILENT).stdout());
            assertEquals(".env\ncompose.yaml\n", ssh.run(RemoteCommand.of("ls", "-A", dir.toString()), OutputListener.SILENT)
                    .stdout(), "no temporary files are left");

            RemoteCommandException missing = assertThrows(RemoteCommandException.class,
                    () -> ssh.upload(new byte[1], dir + "/no/such/x", 0600));
            assertEquals("Could not write " + dir + "/no/such/x on " + ssh.name() + ": the directory " + dir
                    + "/no/such does not exist. Create it first, or check the path.", missing.getMessage());

            Files.createDirectory(rootOwned);
            Files.setPosixFilePermissions(rootOwned, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            RemoteCommandException denied = assertThrows(RemoteCommandException.class,
                    () -> ssh.upload(new byte[1], rootOwned + "/.env", 0600));
            assertEquals("Could not write " + rootOwned + "/.env on " + ssh.name() + ": 'deploy' may not write to "
                    + rootOwned + " (permission denied). Make 'deploy' its owner, or connect as the user that owns it.",
                    denied.getMessage());
            try (java.util.stream.Stream<Path> left = Files.list(rootOwned)) {
                assertEquals(List.of(), left.toList());
            }
        } finally {
            ssh.run(RemoteCommand.of("rm", "-rf", dir.toString()), OutputListener.SILENT);
            Files.deleteIfExists(rootOwned);
        }
    }

    @Test
    void hashedKnownHostsAndRsaOnlyEntriesAndFingerprintsOfAnyKeyTypeWork() throws Exception {
        Path file = directory.resolve("known_hosts");
        Files.writeString(file, knownHosts);
        assertEquals(0, new ProcessBuilder("ssh-keygen", "-q", "-H", "-f", file.toString()).start().waitFor());
        String hashed = Files.readString(file);
        assertTrue(hashed.startsWith("|1|"));
        connect(HostKeyPolicy.of(hashed, List.of())).close();
        String rsaOnly = knownHosts.lines().filter(line -> line.contains("ssh-rsa")).findFirst().orElseThrow();
        connect(HostKeyPolicy.of(rsaOnly, List.of())).close();
        Path rsaPub = Path.of(services.get("SSH_KNOWN_HOSTS_FILE")).resolveSibling("ssh_host_rsa_key.pub");
        String rsaFingerprint = new String(new ProcessBuilder("ssh-keygen", "-lf", rsaPub.toString()).start()
                .getInputStream().readAllBytes()).split(" ")[1];
        connect(HostKeyPolicy.of("", List.of(rsaFingerprint))).close();
        connect(HostKeyPolicy.of("", List.of(services.get("SSH_HOST_FINGERPRINT")))).close();
    }

    @Test
    void anUnknownHostKeyIsRefusedBeforeAuthentication() throws Exception {
        Path clientKey = directory.resolve("client");
        SshKey client = SshKey.parse(TestSshd.clientKey(clientKey, "ed25519", "openssh", ""), "");
        try (TestSshd sshd = TestSshd.start(18001, List.of(Files.readString(directory.resolve("client.pub"))))) {
            SshEndpoint target = new SshEndpoint("deploy", sshd.host(), sshd.port());
            SshConnector wrongHostKeys = new SshConnector(client, HostKeyPolicy.of(knownHosts.replace("2222", "18001"), List.of()), null, FAST);
            List<String> warnings = new ArrayList<>();
            SshException refused = assertThrows(SshException.class, () -> wrongHostKeys.connect(target, warnings::add, notice -> {}));
            assertEquals("Host key not trusted", refused.title());
            assertTrue(refused.getMessage().contains(sshd.fingerprint("ed25519")) || refused.getMessage().contains(sshd.fingerprint("rsa"))
                    || refused.getMessage().contains(sshd.fingerprint("ecdsa")), refused.getMessage());
            assertTrue(refused.getMessage().contains("`ssh-keyscan -p 18001 127.0.0.1`"), refused.getMessage());
            assertEquals(List.of(), warnings, "a host key mismatch is never retried");

            SshConnector noHostKeys = new SshConnector(client, HostKeyPolicy.of("", List.of()), null, FAST);
            assertEquals("Host key not pinned", assertThrows(SshException.class, () -> noHostKeys.connect(target, warnings::add, notice -> {})).title());

            Thread.sleep(300);
            String log = sshd.log();
            assertFalse(log.contains("Accepted") || log.contains("publickey") || log.contains("Postponed"), log);

            try (SshConnection ok = new SshConnector(client, HostKeyPolicy.of(sshd.knownHosts(), List.of()), null, FAST)
                    .connect(target, warnings::add, notice -> {})) {
                assertEquals("deploy\n", ok.run(RemoteCommand.of("id", "-un"), OutputListener.SILENT).stdout());
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} passphrase={2}")
    @CsvSource({"rsa, PEM, true", "rsa, openssh, false", "ecdsa, openssh, true", "ecdsa, PEM, true", "ed25519, openssh, true"})
    void logsInWithEveryKeyTypeAndTrustsEveryHostKeyType(String type, String format, boolean encrypted) throws Exception {
        String passphrase = encrypted ? "pass phrase" : "";
        SshKey client = SshKey.parse(TestSshd.clientKey(directory.resolve("client"), type, format, passphrase), passphrase);
        try (TestSshd sshd = TestSshd.start(18002, List.of(Files.readString(directory.resolve("client.pub"))))) {
            SshEndpoint target = new SshEndpoint("deploy", sshd.host(), sshd.port());
            for (String hostKeyType : List.of("ed25519", "ecdsa", "rsa")) {
                String pinned = sshd.knownHosts().lines().filter(line -> line.contains(hostKeyType.equals("rsa") ? "ssh-rsa" : hostKeyType))
                        .findFirst().orElseThrow();
                for (HostKeyPolicy policy : List.of(HostKeyPolicy.of(pinned, List.of()), HostKeyPolicy.of("", List.of(sshd.fingerprint(hostKeyType))))) {
                    try (SshConnection ssh = new SshConnector(client, policy, null, FAST).connect(target, warning -> {}, notice -> {})) {
                        assertEquals("ok\n", ssh.run(RemoteCommand.of("echo", "ok"), OutputListener.SILENT).stdout());
                    }
                }
            }
            if (type.equals("rsa")) {
                assertTrue(sshd.log().contains("Accepted publickey for deploy") && sshd.log().contains("RSA SHA256"), sshd.log());
            }
        }
    }

    @Test
    void aRefusedKeyIsAnAuthenticationErrorAndIsNotRetried() throws Exception {
        SshKey stranger = SshKey.parse(TestSshd.clientKey(directory.resolve("stranger"), "ed25519", "openssh", ""), "");
        List<String> warnings = new ArrayList<>();
        SshException e = assertThrows(SshException.class, () -> new SshConnector(stranger, HostKeyPolicy.of(knownHosts, List.of()),
                null, FAST).connect(server, warnings::add, notice -> {}));
        assertEquals("SSH login refused", e.title());
        assertTrue(e.getMessage().contains("authorized_keys"), e.getMessage());
        assertEquals(List.of(), warnings);
    }

    @Test
    void unreachableHostsAreRetriedWithBackoffThenReported() {
        List<String> warnings = new ArrayList<>();
        SshEndpoint closed = new SshEndpoint("deploy", "127.0.0.1", 18999);
        SshException e = assertThrows(SshException.class, () -> new SshConnector(key,
                HostKeyPolicy.of("[127.0.0.1]:18999 " + knownHosts.lines().findFirst().orElseThrow().split(" ", 2)[1], List.of()),
                null, FAST).connect(closed, warnings::add, notice -> {}));
        assertEquals("SSH connection failed", e.title());
        assertTrue(e.getMessage().startsWith("Cannot reach 127.0.0.1:18999: Connection refused"), e.getMessage());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).endsWith("Retrying in 0 s (attempt 2 of 2)."), warnings.get(0));
    }

    @Test
    void reachesTheServerThroughAJumpHost() throws Exception {
        String jumpKnownHosts;
        try (TestSshd jump = TestSshd.start(18003,
                List.of(Files.readString(Path.of(services.get("SSH_KEY_FILE") + ".pub"))))) {
            jumpKnownHosts = jump.knownHosts();
            SshConnector connector = new SshConnector(key, HostKeyPolicy.of(knownHosts + jumpKnownHosts, List.of()),
                    new SshEndpoint("deploy", jump.host(), jump.port()), FAST);
            try (SshConnection ssh = connector.connect(server, warning -> {}, notice -> {})) {
                assertEquals("deploy\n", ssh.run(RemoteCommand.of("id", "-un"), OutputListener.SILENT).stdout());
            }
            assertTrue(jump.log().contains("Accepted publickey for deploy"), jump.log());
            SshConnector unpinnedTarget = new SshConnector(key, HostKeyPolicy.of(jumpKnownHosts, List.of()),
                    new SshEndpoint("deploy", jump.host(), jump.port()), FAST);
            assertEquals("Host key not trusted", assertThrows(SshException.class, () -> unpinnedTarget.connect(server, w -> {}, notice -> {})).title());
        }
    }
}
