package com.pyerp.deployaction.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.testing.Processes;
import com.pyerp.deployaction.testing.TestSshd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What must never happen, against a private sshd whose log shows every connection: deploying to an unverified
 * host, connecting at all with a bad configuration, leaving a broken server after a dropped connection, and
 * secrets in the log or in the server's process list.
 */
class DeploySafetyIT {

    @TempDir
    Path workspace;

    private static TestSshd sshd(DeployFixture app, int port, String... extraKeys) throws Exception {
        List<String> keys = new ArrayList<>(List.of(Files.readString(Path.of(app.services.get("SSH_KEY_FILE") + ".pub"))));
        keys.addAll(List.of(extraKeys));
        return TestSshd.start(port + 50, keys);
    }

    private static String[] via(TestSshd sshd, String... more) throws Exception {
        List<String> inputs = new ArrayList<>(List.of("INPUT_SSH-PORT", Integer.toString(sshd.port()),
                "INPUT_SSH-KNOWN-HOSTS", sshd.knownHosts()));
        inputs.addAll(List.of(more));
        return inputs.toArray(String[]::new);
    }

    @Test
    void anUnknownHostKeyOrNoneAtAllIsRefusedAndNothingRunsOnTheServer() throws Exception {
        try (DeployFixture app = new DeployFixture(workspace, 18201); TestSshd sshd = sshd(app, 18201)) {
            String otherServer = Files.readString(Path.of(app.services.get("SSH_KNOWN_HOSTS_FILE"))).replace("2222", "18251");
            app.run(app.env(via(sshd, "INPUT_SSH-KNOWN-HOSTS", otherServer)), 1);
            assertEquals(1, app.errors().size(), app.log());
            assertTrue(app.errors().get(0).startsWith("::error title=Host key not trusted::The host key of 127.0.0.1:18251 is "),
                    app.errors().get(0));
            assertFalse(Files.exists(Path.of(app.appDir)), "nothing ran on the server");
            long connections = sshd.connections();
            String log = sshd.log();
            assertFalse(log.contains("Accepted") || log.contains("publickey"), log);

            app.run(app.env(via(sshd, "INPUT_SSH-KNOWN-HOSTS", "", "INPUT_SSH-FINGERPRINT", "")), 1);
            assertEquals(1, app.errors().size(), app.log());
            assertTrue(app.errors().get(0).startsWith("::error title=Host key not pinned::"), app.errors().get(0));
            assertTrue(app.errors().get(0).contains("`ssh-keyscan -p 18251 127.0.0.1`"), app.errors().get(0));
            assertFalse(app.log().contains("::group::Build and push"), "refused before the build");
            assertEquals(connections, sshd.connections(), "no connection at all: " + sshd.log());
        }
    }

    @Test
    void eachConfigurationMistakeGivesOneErrorAndNoConnection() throws Exception {
        try (DeployFixture app = new DeployFixture(workspace, 18202); TestSshd sshd = sshd(app, 18202)) {
            Files.writeString(workspace.resolve("deploy.yml"), """
                    environments:
                      staging:
                        branches: [main]
                        hosts: [127.0.0.1]
                        app-dir: %s
                        helth-url: http://127.0.0.1:18202/health
                    """.formatted(app.appDir));
            Files.createSymbolicLink(workspace.resolve("passwd.env"), Path.of("/etc/passwd"));
            List<Map.Entry<String, String>> cases = List.of(
                    Map.entry("INPUT_DEPLOY-CONFIG", "deploy.yml|::error title=Invalid deploy-config::deploy.yml:6: environment 'staging' has the unknown key 'helth-url'"),
                    Map.entry("INPUT_APP-DIR", "srv/app|::error title=Invalid input%3A app-dir::Input 'app-dir': 'srv/app' must be an absolute directory"),
                    Map.entry("INPUT_SSH-KEY", "not a key|::error title=Invalid input%3A ssh-key::'ssh-key' is not a private key"),
                    Map.entry("INPUT_SSH-FINGERPRINT", "MD5:00:11|::error title=Invalid input%3A ssh-fingerprint::Input ssh-fingerprint: 'MD5:00:11' is not"),
                    Map.entry("INPUT_HEALTH-URL", "127.0.0.1:18202/health|::error title=Invalid input%3A health-url::Input 'health-url': '127.0.0.1:18202/health'"),
                    Map.entry("INPUT_ENV-FILE", "missing.env|::error title=Invalid input%3A env-file::Input 'env-file': 'missing.env' must be a file"),
                    Map.entry("INPUT_SERVICES", "worker|::error title=Invalid deploy-config::services names the service 'worker', which the Compose file does not define"),
                    Map.entry("INPUT_LOCK-TIMEOUT", "forever|::error title=Invalid input%3A lock-timeout::Input 'lock-timeout' is 'forever'"),
                    Map.entry("INPUT_COMPOSE-FILE", "/etc/passwd|::error title=Invalid input%3A compose-file::Input 'compose-file': '/etc/passwd' leads outside the workspace"),
                    Map.entry("INPUT_ENV-FILE", "passwd.env|::error title=Invalid input%3A env-file::Input 'env-file': 'passwd.env' leads outside the workspace"),
                    Map.entry("INPUT_BUILD-FILE", "../../../../etc/passwd|::error title=Invalid input%3A build-file::Input 'build-file' is '../../../../etc/passwd', but it must be a file of the repository: it leads outside the workspace"),
                    Map.entry("INPUT_LAYERS", "../../etc:/x|::error title=Invalid input%3A layers::Input 'layers': the source '../../etc' leads outside the workspace"),
                    Map.entry("INPUT_APP-DIR", "/tmp//app|::error title=Invalid input%3A app-dir::Input 'app-dir': '/tmp//app' must be written plainly"));
            long connections = sshd.connections();
            for (Map.Entry<String, String> mistake : cases) {
                String[] valueAndError = mistake.getValue().split("\\|", 2);
                app.run(app.env(via(sshd, mistake.getKey(), valueAndError[0])), 1);
                assertEquals(1, app.errors().size(), app.log());
                assertTrue(app.errors().get(0).startsWith(valueAndError[1]), app.errors().get(0));
                assertFalse(app.log().contains("::group::Build and push"), "validated before anything ran: " + app.log());
            }
            assertEquals(connections, sshd.connections(), "only TestSshd's own start-up probe connected: " + sshd.log());
        }
    }

    @Test
    void aServerWithoutTimeoutOrFlockGetsOneErrorNamingWhatToInstallAndIsLeftAlone() throws Exception {
        try (DeployFixture app = new DeployFixture(workspace, 18205)) {
            List<String> keys = List.of(Files.readString(Path.of(app.services.get("SSH_KEY_FILE") + ".pub")));
            int port = 18255;
            for (String missing : List.of("timeout", "flock")) {
                Path path = pathWithout(missing);
                try (TestSshd sshd = TestSshd.start(port++, keys, Map.of("PATH", path.toString()), null, null)) {
                    app.run(app.env(via(sshd)), 1);
                    assertEquals(1, app.errors().size(), app.log());
                    assertTrue(app.errors().get(0).startsWith("::error title=Server not ready::"), app.errors().get(0));
                    assertTrue(app.errors().get(0).contains("'" + missing + "' is not installed"), app.errors().get(0));
                    assertFalse(Files.exists(Path.of(app.appDir)), "nothing was changed on the server");
                } finally {
                    Processes.run("rm", "-rf", path.toString());
                }
            }
        }
    }

    @Test
    void aFailureInTheBookkeepingAfterAHealthyReleaseIsAWarningAndNeverARollback() throws Exception {
        try (DeployFixture app = new DeployFixture(workspace, 18206)) {
            List<String> keys = List.of(Files.readString(Path.of(app.services.get("SSH_KEY_FILE") + ".pub")));
            Path bin = Files.createDirectories(Path.of("/var/tmp/pyerp-deploy-tests/failing-image-ls-" + UUID.randomUUID()));
            Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path docker = Files.writeString(bin.resolve("docker"), "#!/bin/sh\n"
                    + "if [ \"$1 $2\" = 'image ls' ]; then echo 'Error: simulated daemon failure' >&2; exit 1; fi\n"
                    + "exec /usr/bin/docker \"$@\"\n");
            Files.setPosixFilePermissions(docker, PosixFilePermissions.fromString("rwxr-xr-x"));
            try (TestSshd sshd = TestSshd.start(18286, keys, Map.of("PATH", bin + ":/usr/local/bin:/usr/bin:/bin"), null, null)) {
                String v1 = app.run(app.env(via(sshd)), 0).get("image");
                app.version("v2", true);
                Map<String, String> outputs = app.run(app.env(via(sshd)), 0);
                assertEquals("true", outputs.get("deployed"));
                assertEquals(v1, outputs.get("previous-image"));
                assertEquals("v2", app.probe(), "the healthy release stays");
                assertEquals(List.of(), app.errors(), app.log());
                List<String> warnings = app.log().lines()
                        .filter(line -> line.startsWith("::warning title=Cleanup failed after a healthy deploy::")).toList();
                assertEquals(1, warnings.size(), app.log());
                assertTrue(warnings.get(0).contains("could not prune old images") && warnings.get(0).contains("simulated"),
                        warnings.get(0));
                assertFalse(app.log().contains("Rolling back") || app.log().contains("rolled back"), app.log());
                assertEquals(outputs.get("image") + "\n", app.onServer(".deploy/current-image"));
            } finally {
                Processes.run("rm", "-rf", bin.toString());
            }
        }
    }

    /** A PATH with every program of this machine but {@code missing}: a server that lacks it. */
    private static Path pathWithout(String missing) throws IOException {
        Path bin = Files.createDirectories(Path.of("/var/tmp/pyerp-deploy-tests/path-without-" + missing + "-"
                + UUID.randomUUID()));
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String directory : List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            try (Stream<Path> programs = Files.list(Path.of(directory))) {
                for (Path program : programs.toList()) {
                    Path link = bin.resolve(program.getFileName().toString());
                    if (!program.getFileName().toString().equals(missing) && !Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, program);
                    }
                }
            }
        }
        return bin;
    }

    @Test
    void aDroppedConnectionFailsClearlyLeavesTheOldVersionServingAndARerunSucceeds() throws Exception {
        try (DeployFixture app = new DeployFixture(workspace, 18203); TestSshd sshd = sshd(app, 18203)) {
            String v1 = app.run(app.env(via(sshd)), 0).get("image");
            app.version("v2", true);
            DeployFixture.Run dropped = app.start(app.env(via(sshd, "INPUT_MIGRATE-COMMAND", "sleep 30", "INPUT_LOCK-TIMEOUT", "5s")));
            app.awaitServerFile(".deploy/lock/owner");
            Thread.sleep(3000);
            sshd.killSessions();
            assertEquals(1, dropped.exitCode(), dropped.log());
            List<String> errors = dropped.log().lines().filter(line -> line.startsWith("::error")).toList();
            assertEquals(1, errors.size(), dropped.log());
            assertTrue(errors.get(0).contains("connection"), errors.get(0));
            assertEquals("v1", app.probe(), "the old version still serves");
            assertEquals(v1 + "\n", app.onServer(".deploy/current-image"));

            Map<String, String> rerun = app.run(app.env(via(sshd)), 0);
            assertEquals("v2", app.probe());
            assertEquals(v1, rerun.get("previous-image"));
            assertTrue(app.log().contains("::warning title=Stale deploy lock taken over::"), app.log());
        }
    }

    @Test
    void secretsAppearNeitherInTheOutputNorInTheServersProcessList() throws Exception {
        String passphrase = "pass-" + java.util.UUID.randomUUID();
        String registryPassword = "registry-" + java.util.UUID.randomUUID();
        String token = "ghs_" + java.util.UUID.randomUUID().toString().replace("-", "");
        String shortSecret = "zQ7_";
        try (DeployFixture app = new DeployFixture(workspace, 18204)) {
            Files.writeString(workspace.resolve("app.env"), "PIN=" + shortSecret + "\n", java.nio.file.StandardOpenOption.APPEND);
            String key = TestSshd.clientKey(workspace.resolve("deploy_key"), "ed25519", "openssh", passphrase);
            try (TestSshd sshd = sshd(app, 18204, Files.readString(workspace.resolve("deploy_key.pub")))) {
                List<String> processes = Collections.synchronizedList(new ArrayList<>());
                Thread ps = new Thread(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        try {
                            Process list = new ProcessBuilder("ps", "-eo", "args").start();
                            processes.add(new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                            list.waitFor();
                            Thread.sleep(50);
                        } catch (Exception e) {
                            return;
                        }
                    }
                });
                ps.start();
                Map<String, String> outputs = app.run(app.env(via(sshd, "INPUT_SSH-KEY", key, "INPUT_SSH-KEY-PASSPHRASE", passphrase,
                        "INPUT_REGISTRY-PASSWORD", registryPassword, "INPUT_REGISTRY-USERNAME", "ci-bot", "INPUT_GITHUB-TOKEN", token,
                        "INPUT_MIGRATE-COMMAND", "sh -c 'sleep 1; echo migrating with $SECRET_KEY and pin $PIN'")), 0);
                ps.interrupt();
                ps.join();
                assertEquals("true", outputs.get("deployed"));
                assertTrue(app.log().contains("$ docker login --username ci-bot --password-stdin 127.0.0.1:5000 (a throwaway"
                        + " DOCKER_CONFIG, removed when the pull ends)"), app.log());
                String home = Processes.run("getent", "passwd", app.services.get("SSH_USER")).output().split(":")[5];
                String stored = java.util.Base64.getEncoder().encodeToString(("ci-bot:" + registryPassword)
                        .getBytes(StandardCharsets.UTF_8));
                for (String secret : List.of(registryPassword, token, stored)) {
                    Processes.Result holders = Processes.run("grep", "-rlF", "--", secret, home, app.serverRoot.toString());
                    assertEquals(1, holders.exitCode(), "no file on the server holds the registry secret: " + holders.output());
                }
                assertTrue(app.log().contains("  migrating with *** and pin ***"), "the .env values, short ones too, are"
                        + " masked in remote output: " + app.log());
                String everything = app.log().lines().filter(line -> !line.startsWith("::add-mask::"))
                        .collect(java.util.stream.Collectors.joining("\n")) + outputs + Files.readString(app.summary);
                String processList = String.join("\n", processes);
                // docker login lives a fraction of a second, and a loaded machine may sample around it (its argv is
                // pinned by DeployCommandsTest); the one-second migration is always seen, so the samples span the deploy.
                assertTrue(processList.contains("migrating with"), "the process list was sampled during the deploy");
                List<String> secrets = new ArrayList<>(List.of(passphrase, registryPassword, token, app.secret, shortSecret));
                key.lines().filter(line -> !line.startsWith("-----")).forEach(secrets::add);
                for (String secret : secrets) {
                    assertFalse(everything.contains(secret), "in the output: " + secret);
                    assertFalse(processList.contains(secret), "in the server's process list: " + secret);
                }
            }
        }
    }
}
