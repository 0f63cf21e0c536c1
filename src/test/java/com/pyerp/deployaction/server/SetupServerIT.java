package com.pyerp.deployaction.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.pyerp.deployaction.action.DotEnv;
import com.pyerp.deployaction.ssh.CommandResult;
import com.pyerp.deployaction.ssh.HostKeyPolicy;
import com.pyerp.deployaction.ssh.OutputListener;
import com.pyerp.deployaction.ssh.RemoteCommand;
import com.pyerp.deployaction.ssh.SshConnection;
import com.pyerp.deployaction.ssh.SshConnector;
import com.pyerp.deployaction.ssh.SshEndpoint;
import com.pyerp.deployaction.ssh.SshKey;
import com.pyerp.deployaction.ssh.SshOptions;
import com.pyerp.deployaction.testing.Processes;
import com.pyerp.deployaction.testing.TestServices;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code command: setup-server} run by the shipped jar, as a workflow step, against the fresh Debian 12 server of
 * {@code scripts/test-services} (each test that needs it pristine restores it first), and against the main test sshd
 * where Docker already exists. The tests run in any order.
 */
class SetupServerIT {

    private static final String JAR = System.getProperty("shippedJar");
    private static final String APP_DIR = "/srv/erp";
    private static final String TEMPLATE = """
            # Django
            SECRET_KEY=
            DEBUG=true
            ALLOWED_HOSTS=
            # @required
            EMAIL_HOST=
            DB_PASSWORD=
            DB_ROOT_PASSWORD=
            TIME_ZONE=Europe/Berlin
            """;
    private static final String SOURCE = """
            # production values
            export EMAIL_HOST=smtp.example.com
            DB_PASSWORD='given pass=word#1'
            DEBUG=false
            """;

    static TestServices services;
    static SshEndpoint root;
    static SshKey adminKey;
    static HostKeyPolicy freshHostKeys;
    static String registryPassword;
    static String sudoPassword;
    static String deployPublicKey;
    static String deployPrivateKey;
    static final List<String> everything = new ArrayList<>();
    static FileChannel lockChannel;
    static final List<String> secrets = new ArrayList<>();

    @TempDir
    static Path dir;

    record Run(int exitCode, String output, String summary) {
        List<String> errors() {
            return output.lines().filter(line -> line.startsWith("::error")).toList();
        }

        String outcome(String step) {
            return output.lines().filter(line -> line.startsWith(String.format("%-15s ", step))).findFirst()
                    .map(line -> line.substring(15).strip().split("\\s+")[0]).orElse("(no line for " + step + ")");
        }
    }

    @BeforeAll
    static void servers() throws Exception {
        services = TestServices.require("FRESH_SSH", "TLS_REGISTRY");
        // One fresh server, one run at a time: a second checkout's run waits here, then finds it provisioned.
        lockChannel = FileChannel.open(Path.of(services.get("FRESH_SSH_KEY_FILE")).resolveSibling("setup-server-it.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        lockChannel.lock();
        root = new SshEndpoint("root", services.get("FRESH_SSH_HOST"), Integer.parseInt(services.get("FRESH_SSH_PORT")));
        adminKey = SshKey.parse(Files.readString(Path.of(services.get("FRESH_SSH_KEY_FILE"))), "");
        freshHostKeys = HostKeyPolicy.of(Files.readString(Path.of(services.get("FRESH_SSH_KNOWN_HOSTS_FILE"))), List.of());
        registryPassword = services.registryPassword();
        sudoPassword = Files.readString(Path.of(services.get("FRESH_SUDO_PASSWORD_FILE"))).strip();
        Path key = dir.resolve("deploy_ed25519");
        Processes.Result keygen = Processes.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "deploy@ci", "-f",
                key.toString());
        assertEquals(0, keygen.exitCode(), keygen.output());
        deployPrivateKey = Files.readString(key);
        deployPublicKey = Files.readString(dir.resolve("deploy_ed25519.pub")).strip();
        secrets.addAll(List.of(registryPassword, sudoPassword, "given pass=word#1",
                Base64.getEncoder().encodeToString(("ci-user:" + registryPassword).getBytes(StandardCharsets.UTF_8))));
        deployPrivateKey.lines().filter(line -> !line.startsWith("-----")).forEach(secrets::add);
    }

    /** The fresh server as debootstrap left it, whatever an earlier test or run did to it. */
    static void pristineFreshServer() throws Exception {
        services.restoreFreshServer();
        if (onFresh("getent passwd pyerp || test -e " + APP_DIR).exitStatus() == 0) {
            fail("The fresh server " + root + " is still provisioned after scripts/test-services fresh-server.");
        }
    }

    @AfterAll
    static void noSecretAnywhereInTheOutput() throws Exception {
        if (lockChannel != null) {
            lockChannel.close();
        }
        for (String secret : secrets) {
            for (String text : everything) {
                // ::add-mask:: lines are how the runner learns what to hide; it never shows them
                String shown = String.join("\n", text.lines().filter(line -> !line.startsWith("::add-mask::")).toList());
                assertFalse(shown.contains(secret), "a secret (" + secret.length() + " characters) was printed");
            }
        }
    }

    static CommandResult on(SshEndpoint endpoint, SshKey key, HostKeyPolicy policy, String script) {
        try (SshConnection ssh = new SshConnector(key, policy, null, SshOptions.DEFAULTS).connect(endpoint, warning -> {}, notice -> {})) {
            return ssh.execute(RemoteCommand.of("sh", "-c", script), OutputListener.SILENT);
        }
    }

    static CommandResult onFresh(String script) {
        return on(root, adminKey, freshHostKeys, script);
    }

    static String freshOutput(String script) {
        CommandResult result = onFresh(script);
        assertEquals(0, result.exitStatus(), script + ": " + result.stderr());
        return result.stdout();
    }

    /** The inputs of a complete setup-server step against the fresh server, as the sudo user. */
    static Map<String, String> inputs() throws Exception {
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("command", "setup-server");
        inputs.put("ssh-host", services.get("FRESH_SSH_HOST"));
        inputs.put("ssh-port", services.get("FRESH_SSH_PORT"));
        inputs.put("ssh-user", services.get("FRESH_SUDO_USER"));
        inputs.put("sudo-password", sudoPassword);
        inputs.put("ssh-key", Files.readString(Path.of(services.get("FRESH_SSH_KEY_FILE"))));
        inputs.put("ssh-known-hosts", Files.readString(Path.of(services.get("FRESH_SSH_KNOWN_HOSTS_FILE"))));
        inputs.put("app-dir", APP_DIR);
        inputs.put("app-public-key", deployPublicKey);
        inputs.put("env-file", SOURCE);
        inputs.put("env-template", TEMPLATE);
        inputs.put("images", services.get("TLS_REGISTRY") + "/erp/app");
        inputs.put("registry-username", services.get("TLS_REGISTRY_USER"));
        inputs.put("registry-password", registryPassword);
        return inputs;
    }

    static Run run(Map<String, String> inputs) throws Exception {
        Path output = Files.createTempFile(dir, "output", "");
        Path summary = Files.createTempFile(dir, "summary", "");
        Map<String, String> env = new HashMap<>(Map.of("GITHUB_ACTIONS", "true", "GITHUB_OUTPUT", output.toString(),
                "GITHUB_STEP_SUMMARY", summary.toString(), "GITHUB_REPOSITORY", "octo/erp", "GITHUB_EVENT_NAME",
                "workflow_dispatch", "GITHUB_REF", "refs/heads/main", "GITHUB_SHA",
                "0123456789abcdef0123456789abcdef01234567", "GITHUB_API_URL", "http://127.0.0.1:1"));
        inputs.forEach((name, value) -> env.put("INPUT_" + name.toUpperCase(), value));
        Processes.Result result = Processes.run(List.of("java", "-jar", JAR), env);
        Run run = new Run(result.exitCode(), result.output(), Files.readString(summary));
        everything.add(run.output());
        everything.add(run.summary());
        everything.add(Files.readString(output));
        return run;
    }

    static void assertOneError(Run run, String title, String... phrases) {
        assertEquals(1, run.exitCode(), run.output());
        assertEquals(1, run.errors().size(), run.output());
        String error = run.errors().get(0);
        assertTrue(error.startsWith("::error title=" + title.replace(":", "%3A") + "::"), error);
        for (String phrase : phrases) {
            assertTrue(error.contains(phrase), "'" + phrase + "' missing in " + error);
        }
        assertFalse(run.output().contains("Exception"), run.output());
    }

    static void assertServerUntouched() {
        assertEquals("", freshOutput("getent passwd pyerp; ls -d " + APP_DIR + " 2>/dev/null; command -v docker; true"));
    }

    @Test
    void badInputsEachGiveOneErrorAndChangeNothing() throws Exception {
        pristineFreshServer();
        Map<String, String> badUser = inputs();
        badUser.put("app-user", "Bad User");
        assertOneError(run(badUser), "Invalid input: app-user", "'Bad User'", "lower-case letters");

        Map<String, String> badSource = inputs();
        badSource.put("env-file", "EMAIL_HOST=x\nDB_PASSWORD=\"never closed\n");
        assertOneError(run(badSource), "Invalid input: env-file", "line 2", "DB_PASSWORD", "never closed");

        Map<String, String> noRequired = inputs();
        noRequired.put("env-file", "DEBUG=false\n");
        assertOneError(run(noRequired), "Missing .env values", "EMAIL_HOST", "Nothing was changed");

        Map<String, String> badDir = inputs();
        badDir.put("app-dir", "/srv/../etc");
        assertOneError(run(badDir), "Invalid input: app-dir", "'/srv/../etc'");

        for (String systemDir : List.of("/srv//erp", "/srv/./erp", "/etc/erp", "/var")) {
            Map<String, String> system = inputs();
            system.put("app-dir", systemDir);
            assertOneError(run(system), "Invalid input: app-dir", "'" + systemDir + "'");
        }
        Map<String, String> takenOver = inputs();
        takenOver.put("app-dir", "/var/lib");
        assertOneError(run(takenOver), "Unsafe app-dir", "/var/lib already exists and belongs to root", "Nothing was changed");
        freshOutput("mkdir -p /var/tmp/shared && chmod 1777 /var/tmp/shared");
        Map<String, String> sharedParent = inputs();
        sharedParent.put("app-dir", "/var/tmp/shared/erp");
        assertOneError(run(sharedParent), "Unsafe app-dir", "parent /var/tmp/shared (owner root, mode 1777)");
        freshOutput("mkdir -p /srv/real && ln -s real /srv/erp");
        try {
            assertOneError(run(inputs()), "Unsafe app-dir", "/srv/erp is a symbolic link");
        } finally {
            freshOutput("rm -f /srv/erp && rmdir /srv/real /var/tmp/shared");
        }

        Map<String, String> badKey = inputs();
        badKey.put("app-public-key", "ssh-ed25519 not-base64!");
        assertOneError(run(badKey), "Invalid input: app-public-key", "one OpenSSH public key line");

        Map<String, String> wrongSudo = inputs();
        wrongSudo.put("sudo-password", "wrong-" + UUID.randomUUID());
        secrets.add(wrongSudo.get("sudo-password"));
        assertOneError(run(wrongSudo), "sudo refused", "sudo-password");
        assertServerUntouched();
    }

    @Test
    void anUnsupportedOsIsRefusedBeforeAnyChange() throws Exception {
        pristineFreshServer();
        freshOutput("mv /etc/os-release /etc/os-release.it && printf '%s\\n' 'NAME=\"Alpine Linux\"' 'ID=alpine'"
                + " 'PRETTY_NAME=\"Alpine Linux v3.20\"' > /etc/os-release");
        try {
            assertOneError(run(inputs()), "Unsupported server OS", "Alpine Linux v3.20", "Debian and Ubuntu");
        } finally {
            freshOutput("mv -f /etc/os-release.it /etc/os-release");
        }
        assertServerUntouched();
    }

    /** One server's life: provisioned once, provisioned again with nothing new, then with one changed value. */
    @Test
    void aFreshServerIsProvisionedThroughSudoThenRerunsChangeOnlyWhatChanged() throws Exception {
        pristineFreshServer();
        firstRunProvisionsTheFreshServerThroughSudo();
        secondRunAsRootChangesNothingAndKeepsTheGeneratedSecrets();
        aChangedSourceValueChangesOnlyThatKeyAndBacksUpThePreviousFile();
        aLinkPlantedInsideAppDirIsNeverFollowed();
    }

    /** The app user, or whoever owns app-dir, cannot make root re-own another directory through a link. */
    private void aLinkPlantedInsideAppDirIsNeverFollowed() throws Exception {
        freshOutput("mkdir /srv/victim && rmdir /srv/erp/releases && ln -s ../victim /srv/erp/releases");
        String victim = freshOutput("stat -c '%U %G %a' /srv/victim");
        try {
            assertOneError(run(inputs()), "Unsafe app-dir", "/srv/erp/releases is a symbolic link", "Nothing was changed");
            assertTrue(victim.startsWith("root root "), victim);
            assertEquals(victim, freshOutput("stat -c '%U %G %a' /srv/victim"));
        } finally {
            freshOutput("rm /srv/erp/releases && rmdir /srv/victim && install -d -o pyerp -g pyerp -m 0750 /srv/erp/releases");
        }
    }

    private void firstRunProvisionsTheFreshServerThroughSudo() throws Exception {
        Run run = run(inputs());
        assertEquals(0, run.exitCode(), run.output());
        for (String step : List.of("app user", "docker", "registry login", "directories", ".env", ".env.source")) {
            assertEquals("created", run.outcome(step), run.output());
        }
        assertTrue(run.output().contains("no service manager, so the Docker daemon was not started"));
        assertTrue(run.output().contains("::add-mask::smtp.example.com\n"), "every value that is not plainly public is masked,"
                + " whatever its key's name");
        assertFalse(run.output().contains("::add-mask::false\n"), "but not a boolean");

        // the user, its group, and its key
        assertTrue(freshOutput("getent passwd pyerp").matches("pyerp:x:\\d+:\\d+::/home/pyerp:/bin/bash\\n"));
        assertTrue(List.of(freshOutput("id -nG pyerp").strip().split(" ")).contains("docker"));
        assertEquals("pyerp pyerp 600\n" + deployPublicKey + "\n", freshOutput("cd /home/pyerp/.ssh && stat -c '%U %G %a'"
                + " authorized_keys && cat authorized_keys"));
        assertEquals("*", freshOutput("getent shadow pyerp | cut -d: -f2").strip(), "no password login");
        SshEndpoint asApp = new SshEndpoint("pyerp", root.host(), root.port());
        CommandResult docker = on(asApp, SshKey.parse(deployPrivateKey, ""), freshHostKeys, "id -un && docker --version");
        assertEquals(0, docker.exitStatus(), docker.stderr());
        assertTrue(docker.stdout().startsWith("pyerp\nDocker version"), docker.stdout());

        // Docker and Compose from Debian's packages
        assertEquals("docker-compose install ok installed\ndocker.io install ok installed\n",
                freshOutput("dpkg-query -W -f '${Package} ${Status}\\n' docker.io docker-compose"));

        // directories, files, modes
        assertEquals("""
                pyerp pyerp 750 /srv/erp
                pyerp pyerp 750 /srv/erp/releases
                pyerp pyerp 750 /srv/erp/shared
                pyerp pyerp 750 /srv/erp/backups
                pyerp pyerp 750 /srv/erp/logs
                pyerp pyerp 600 /srv/erp/.env
                pyerp pyerp 600 /srv/erp/.env.source
                pyerp pyerp 700 /home/pyerp/.docker
                pyerp pyerp 600 /home/pyerp/.docker/config.json
                """, freshOutput("cd /srv/erp && stat -c '%U %G %a %n' /srv/erp /srv/erp/releases /srv/erp/shared"
                + " /srv/erp/backups /srv/erp/logs /srv/erp/.env /srv/erp/.env.source /home/pyerp/.docker"
                + " /home/pyerp/.docker/config.json"));
        assertEquals(SOURCE, freshOutput("cat /srv/erp/.env.source"));

        // the registry login, readable by pyerp only
        assertTrue(freshOutput("cat /home/pyerp/.docker/config.json").contains("\"127.0.0.1:5443\""));
        SshEndpoint admin = new SshEndpoint(services.get("FRESH_SUDO_USER"), root.host(), root.port());
        CommandResult other = on(admin, adminKey, freshHostKeys, "cat /home/pyerp/.docker/config.json");
        assertNotEquals(0, other.exitStatus());
        assertTrue(other.stderr().contains("Permission denied"), other.stderr());
        assertNotEquals(0, on(admin, adminKey, freshHostKeys, "cat /srv/erp/.env").exitStatus());

        // the four sources
        Map<String, String> env = DotEnv.parse(freshOutput("cat /srv/erp/.env"), ".env").asMap();
        assertEquals("smtp.example.com", env.get("EMAIL_HOST"));
        assertEquals("given pass=word#1", env.get("DB_PASSWORD"));
        assertEquals("false", env.get("DEBUG"), "the source file wins over the template's default");
        assertEquals("Europe/Berlin", env.get("TIME_ZONE"));
        assertTrue(env.get("SECRET_KEY").matches("[A-Za-z0-9_-]{50}"), "generated");
        assertTrue(env.get("DB_ROOT_PASSWORD").matches("[A-Za-z0-9]{32}"), "generated");
        String hostname = freshOutput("hostname").strip();
        assertTrue(env.get("ALLOWED_HOSTS").startsWith(hostname), env.get("ALLOWED_HOSTS"));
        secrets.addAll(List.of(env.get("SECRET_KEY"), env.get("DB_ROOT_PASSWORD")));
        for (String line : List.of("| SECRET_KEY | generated (secret) |", "| DEBUG | source file |",
                "| ALLOWED_HOSTS | server |", "| EMAIL_HOST | source file |", "| DB_PASSWORD | source file (secret) |",
                "| DB_ROOT_PASSWORD | generated (secret) |", "| TIME_ZONE | default |",
                "| ssh-ed25519 | " + services.get("FRESH_SSH_HOST_FINGERPRINT") + " |", "| SSH_USER | pyerp |")) {
            assertTrue(run.summary().contains(line), line + " missing in\n" + run.summary());
        }
    }

    private void secondRunAsRootChangesNothingAndKeepsTheGeneratedSecrets() throws Exception {
        String before = freshOutput("cat /srv/erp/.env");
        Map<String, String> inputs = inputs();
        inputs.put("ssh-user", "root");
        inputs.remove("sudo-password");
        Run run = run(inputs);
        assertEquals(0, run.exitCode(), run.output());
        for (String step : List.of("app user", "docker", "registry login", "directories", ".env", ".env.source")) {
            assertEquals("unchanged", run.outcome(step), run.output());
        }
        assertEquals(before, freshOutput("cat /srv/erp/.env"), "byte-identical");
        assertTrue(run.summary().contains("| SECRET_KEY | kept (secret) |"), run.summary());
        assertEquals("", freshOutput("ls -A /srv/erp/backups"));
    }

    private void aChangedSourceValueChangesOnlyThatKeyAndBacksUpThePreviousFile() throws Exception {
        String before = freshOutput("cat /srv/erp/.env");
        Map<String, String> inputs = inputs();
        inputs.put("env-file", SOURCE.replace("smtp.example.com", "mail.example.org"));
        Run run = run(inputs);
        assertEquals(0, run.exitCode(), run.output());
        assertEquals("changed", run.outcome(".env"), run.output());
        assertEquals("changed", run.outcome(".env.source"), run.output());
        assertEquals("unchanged", run.outcome("app user"), run.output());
        Map<String, String> old = DotEnv.parse(before, "old").asMap();
        Map<String, String> now = DotEnv.parse(freshOutput("cat /srv/erp/.env"), "new").asMap();
        assertEquals(old.keySet(), now.keySet());
        for (String key : old.keySet()) {
            if (!key.equals("EMAIL_HOST")) {
                assertEquals(old.get(key), now.get(key), key);
            }
        }
        assertEquals("mail.example.org", now.get("EMAIL_HOST"));
        String backups = freshOutput("cd /srv/erp/backups && for f in .env.*; do stat -c '%U %a %n' \"$f\"; done");
        assertTrue(backups.matches("pyerp 600 \\.env\\.\\d{8}T\\d{6}Z\\n"), backups);
        assertEquals(before, freshOutput("cat /srv/erp/backups/.env.*"));
    }

    /** The fresh server has no service manager: Caddy is installed, not started, and a notice says how to start it. */
    @Test
    void proxyCaddyWithoutServiceManagerInstallsCaddyAndCurlAndSaysHowToStartCaddy() throws Exception {
        pristineFreshServer();
        Map<String, String> inputs = inputs();
        inputs.put("proxy", "caddy");
        Run first = run(inputs);
        assertEquals(0, first.exitCode(), first.output());
        assertEquals("created", first.outcome("proxy"), first.output());
        assertEquals("skipped", first.outcome("proxy server"), first.output());
        List<String> notices = first.output().lines().filter(line -> line.startsWith("::notice")).toList();
        assertEquals(1, notices.size(), first.output());
        assertTrue(notices.get(0).startsWith("::notice title=Caddy not started::" + root.host() + ": There is no service"
                + " manager"), notices.get(0));
        assertTrue(notices.get(0).contains("`caddy run --resume` (or its unit, caddy-api.service)"), notices.get(0));
        Processes.Result installed = Processes.run("dpkg-query", "--admindir=" + services.get("FRESH_ROOT")
                + "/var/lib/dpkg", "-W", "-f", "${Package} ${Status}\n", "caddy", "curl");
        assertEquals("caddy install ok installed\ncurl install ok installed\n", installed.output());

        Run second = run(inputs);
        assertEquals(0, second.exitCode(), second.output());
        assertEquals("unchanged", second.outcome("proxy"), second.output());
        assertEquals("skipped", second.outcome("proxy server"), second.output());
        assertTrue(second.output().contains("caddy 2."), second.output());
    }

    @Test
    void onTheMainTestServerDockerIsAlreadyThereAndTheAppUserProvisionsItsOwnFiles() throws Exception {
        TestServices main = TestServices.require("SSH");
        String appDir = "/home/" + main.get("SSH_USER") + "/setup-it-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("command", "setup-server");
        inputs.put("ssh-host", main.get("SSH_HOST") + ":" + main.get("SSH_PORT"));
        inputs.put("ssh-user", main.get("SSH_USER"));
        inputs.put("app-user", main.get("SSH_USER"));
        inputs.put("ssh-key", Files.readString(Path.of(main.get("SSH_KEY_FILE"))));
        inputs.put("ssh-known-hosts", Files.readString(Path.of(main.get("SSH_KNOWN_HOSTS_FILE"))));
        inputs.put("app-dir", appDir);
        inputs.put("app-public-key", Files.readString(Path.of(main.get("SSH_KEY_FILE") + ".pub")).strip());
        inputs.put("env-file", "EMAIL_HOST=smtp.example.com\n");
        inputs.put("env-template", TEMPLATE);
        SshEndpoint deploy = new SshEndpoint(main.get("SSH_USER"), main.get("SSH_HOST"), Integer.parseInt(main.get("SSH_PORT")));
        SshKey key = SshKey.parse(inputs.get("ssh-key"), "");
        HostKeyPolicy hostKeys = HostKeyPolicy.of(inputs.get("ssh-known-hosts"), List.of());
        try {
            Run first = run(inputs);
            assertEquals(0, first.exitCode(), first.output());
            assertTrue(first.output().contains("no root: only the app user's own files"), first.output());
            assertEquals("unchanged", first.outcome("app user"), first.output());
            assertEquals("unchanged", first.outcome("docker"), first.output());
            assertTrue(first.output().matches("(?s).*the Docker daemon \\S+ is running.*"), first.output());
            assertEquals("skipped", first.outcome("registry login"), first.output());
            assertEquals("created", first.outcome("directories"), first.output());
            assertEquals("created", first.outcome(".env"), first.output());
            CommandResult modes = on(deploy, key, hostKeys, "cd " + appDir + " && stat -c '%a %n' . logs .env");
            assertEquals("750 .\n750 logs\n600 .env\n", modes.stdout());
            secrets.addAll(DotEnv.parse(on(deploy, key, hostKeys, "cat " + appDir + "/.env").stdout(), ".env").entries()
                    .stream().filter(entry -> entry.key().endsWith("PASSWORD") || entry.key().equals("SECRET_KEY"))
                    .map(DotEnv.Entry::value).toList());

            Run second = run(inputs);
            assertEquals(0, second.exitCode(), second.output());
            for (String step : List.of("app user", "docker", "directories", ".env", ".env.source")) {
                assertEquals("unchanged", second.outcome(step), second.output());
            }

            Map<String, String> otherUser = new LinkedHashMap<>(inputs);
            otherUser.put("app-user", "pyerp");
            assertOneError(run(otherUser), "No root on the server", "sudo-password", "Nothing was changed");
        } finally {
            on(deploy, key, hostKeys, "rm -rf " + appDir);
        }
    }
}
