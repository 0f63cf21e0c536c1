package com.pyerp.deployaction.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 end to end on a server nobody set up: {@code setup-server} with {@code proxy: caddy} on the fresh Debian 12
 * of the test services (through the shipped jar, as its sudo user), then what its notice says to do where there is no
 * service manager, done by hand ({@link FreshServerDaemons}: the server's own dockerd and Caddy), then two deploys
 * with {@code switch: proxy} as the app user with the deploy key, the second under a load loop through the server's
 * Caddy. The server's Caddy cannot take the test services' own 127.0.0.1:2019 and :18680 in this shared network
 * namespace, nor :443: its admin API and the server {@code pyerp} listen on 127.0.0.2, the fresh server's address,
 * and deploy-config's {@code proxy-admin} says so. Afterwards the server is restored to pristine.
 */
class FreshServerProxyDeployIT {

    private static final String JAR = System.getProperty("shippedJar");
    private static final String APP_DIR = "/srv/erp";
    private static final String CADDY_ADMIN = "http://127.0.0.2:2019";
    private static final String CADDY_SERVER = "127.0.0.2:18680";
    private static final String HOST = "erp.test";
    private static final int PORT = 18341;

    @TempDir
    Path workspace;

    private final TestServices services = TestServices.require("FRESH_SSH", "REGISTRY", "SSH");
    private final List<String> logs = new ArrayList<>();
    private HostKeyPolicy hostKeys;
    private SshKey adminKey;

    @Test
    void setupServerInstallsTheProxyAndAZeroDowntimeDeployWorksThroughIt() throws Exception {
        Path root = Path.of(services.get("FRESH_ROOT"));
        hostKeys = HostKeyPolicy.of(Files.readString(Path.of(services.get("FRESH_SSH_KNOWN_HOSTS_FILE"))), List.of());
        adminKey = SshKey.parse(Files.readString(Path.of(services.get("FRESH_SSH_KEY_FILE"))), "");
        // SetupServerIT's lock: one test at a time on the fresh server, whichever checkout runs it
        try (FileChannel lock = FileChannel.open(Path.of(services.get("FRESH_SSH_KEY_FILE")).resolveSibling(
                "setup-server-it.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            lock.lock();
            services.restoreFreshServer();
            try {
                String deployKey = deployKey();
                setupServerInstallsDockerAndCaddyAndSaysCaddyWasNotStarted();
                try (FreshServerDaemons daemons = FreshServerDaemons.start(root, CADDY_ADMIN,
                        "{\"admin\": {\"listen\": \"" + CADDY_ADMIN.substring("http://".length()) + "\"}}")) {
                    addTheServerPyerpToCaddy();
                    twoDeploysThroughTheServersCaddyFailNoRequest(deployKey);
                }
                assertEquals(List.of(), daemonsLeftIn(root), "dockerd, containerd and Caddy are stopped");
                assertEquals(List.of("/", "/proc"), mountsUnder(root), "only what scripts/test-services mounted");
                assertSecretsNeverShown(deployKey);
            } finally {
                services.restoreFreshServer();
            }
            // read from here: a login would count as a use, and the next test would restore it once more
            assertFalse(Files.readString(root.resolve("etc/passwd")).contains("\npyerp:"), "pristine again: no app user");
            assertFalse(Files.exists(root.resolve("usr/bin/docker")) || Files.exists(root.resolve("usr/bin/caddy")),
                    "pristine again: no docker, no caddy");
        }
    }

    private void setupServerInstallsDockerAndCaddyAndSaysCaddyWasNotStarted() throws Exception {
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("command", "setup-server");
        inputs.put("ssh-host", services.get("FRESH_SSH_HOST"));
        inputs.put("ssh-port", services.get("FRESH_SSH_PORT"));
        inputs.put("ssh-user", services.get("FRESH_SUDO_USER"));
        inputs.put("sudo-password", sudoPassword());
        inputs.put("ssh-key", Files.readString(Path.of(services.get("FRESH_SSH_KEY_FILE"))));
        inputs.put("ssh-known-hosts", Files.readString(Path.of(services.get("FRESH_SSH_KNOWN_HOSTS_FILE"))));
        inputs.put("app-dir", APP_DIR);
        inputs.put("app-public-key", Files.readString(workspace.resolve("deploy_ed25519.pub")).strip());
        inputs.put("env-file", "DEBUG=false\n");
        inputs.put("proxy", "caddy");
        Map<String, String> env = new HashMap<>(Map.of("GITHUB_ACTIONS", "true", "GITHUB_OUTPUT",
                Files.createTempFile(workspace, "output", "").toString(), "GITHUB_STEP_SUMMARY",
                Files.createTempFile(workspace, "summary", "").toString(), "GITHUB_REPOSITORY", "octo/erp",
                "GITHUB_EVENT_NAME", "workflow_dispatch", "GITHUB_REF", "refs/heads/main", "GITHUB_API_URL",
                "http://127.0.0.1:1"));
        inputs.forEach((name, value) -> env.put("INPUT_" + name.toUpperCase(), value));
        Processes.Result run = Processes.run(List.of("java", "-jar", JAR), env);
        logs.add(run.output());

        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("no service manager, so the Docker daemon was not started"), run.output());
        List<String> notices = run.output().lines().filter(line -> line.startsWith("::notice")).toList();
        assertTrue(notices.stream().anyMatch(line -> line.startsWith("::notice title=Caddy not started::127.0.0.2:"
                + " There is no service manager, so setup-server did not start Caddy.")
                && line.contains("`caddy run --resume`")), run.output());
        Processes.Result installed = Processes.run("dpkg-query", "--admindir=" + services.get("FRESH_ROOT")
                + "/var/lib/dpkg", "-W", "-f", "${Package} ${Status}\n", "caddy", "curl", "docker-compose", "docker.io");
        assertEquals("""
                caddy install ok installed
                curl install ok installed
                docker-compose install ok installed
                docker.io install ok installed
                """, installed.output());
        assertEquals(List.of(), daemonsLeftIn(Path.of(services.get("FRESH_ROOT"))), "nothing was started");
    }

    /** What the notice asks of the admin, on the server: the HTTP server pyerp in Caddy's admin API. */
    private void addTheServerPyerpToCaddy() {
        // Plain HTTP on a test port: automatic HTTPS, which production gets on :443, would want certificates here.
        String apps = "{\"http\": {\"servers\": {\"pyerp\": {\"listen\": [\"" + CADDY_SERVER + "\"],"
                + " \"automatic_https\": {\"disable\": true}}}}}";
        CommandResult added = asRoot("curl -sS --fail-with-body --noproxy '*' -X POST -H 'Content-Type: application/json'"
                + " --data-binary '" + apps + "' " + CADDY_ADMIN + "/config/apps");
        assertEquals(0, added.exitStatus(), added.stdout() + added.stderr());
    }

    private void twoDeploysThroughTheServersCaddyFailNoRequest(String deployKey) throws Exception {
        try (DeployFixture app = new DeployFixture(workspace, PORT)) {
            Files.writeString(workspace.resolve("compose.yaml"), """
                    services:
                      web:
                        image: ${APP_IMAGE}
                        network_mode: host
                        restart: unless-stopped
                        env_file: .env
                        environment:
                          PORT: ${APP_PORT}
                    """);
            Files.writeString(workspace.resolve("deploy.yml"), """
                    environments:
                      production:
                        switch: proxy
                        proxy-hosts: [%s]
                        proxy-admin: %s
                        slot-ports: [%d, %d]
                        drain-timeout: 15s
                    """.formatted(HOST, CADDY_ADMIN, PORT, PORT + 1));
            // setup-server wrote the server's .env: no env-file, which a deploy would upload over it
            Map<String, String> env = app.env("INPUT_DEPLOY-CONFIG", "deploy.yml", "INPUT_ENV-FILE", null,
                    "INPUT_SSH-HOST", services.get("FRESH_SSH_HOST"), "INPUT_SSH-PORT", services.get("FRESH_SSH_PORT"),
                    "INPUT_SSH-USER", "pyerp", "INPUT_SSH-KEY", deployKey, "INPUT_SSH-KNOWN-HOSTS",
                    Files.readString(Path.of(services.get("FRESH_SSH_KNOWN_HOSTS_FILE"))), "INPUT_APP-DIR", APP_DIR);

            deploy(app, env);
            assertTrue(app.log().contains("first deploy behind the proxy: starting slot erp-blue"), app.log());
            assertEquals("v1", LoadLoop.once(CADDY_SERVER, HOST, "/").body(), FreshServerDaemons.logs());

            app.version("v2", true);
            LoadLoop load = LoadLoop.start(CADDY_SERVER, HOST);
            List<LoadLoop.Answer> answers;
            try {
                deploy(app, env);
            } finally {
                answers = load.stop();
            }
            assertEquals(List.of(), LoadLoop.failures(answers, "v1", "v2"), "failed requests during the deploy:\n"
                    + app.log());
            assertTrue(answers.size() >= 3 * LoadLoop.PER_SECOND, "answers: " + answers.size());
            assertTrue(answers.stream().anyMatch(answer -> answer.body().equals("v1")), "v1 served at first");
            for (int i = 0; i < 10; i++) {
                assertEquals("v2", LoadLoop.once(CADDY_SERVER, HOST, "/").body(), "every answer after the deploy");
            }
            assertTrue(app.log().contains("old slot drained in"), app.log());
            String green = asApp(deployKey, "docker ps --filter label=com.docker.compose.project=erp-green"
                    + " --format '{{.Image}}'");
            assertTrue(green.startsWith(app.repository), "v2 runs on the fresh server's own dockerd: " + green);
            assertEquals("", asApp(deployKey, "docker ps -q --filter label=com.docker.compose.project=erp-blue"),
                    "v1's slot is stopped");
        }
    }

    private void deploy(DeployFixture app, Map<String, String> env) throws Exception {
        try {
            app.run(env, 0);
        } finally {
            logs.add(app.log());
        }
    }

    /** A new deploy key pair in the workspace, as a workflow's secret would hold it; returns the private key. */
    private String deployKey() throws Exception {
        Path key = workspace.resolve("deploy_ed25519");
        Processes.Result keygen = Processes.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "deploy@ci", "-f",
                key.toString());
        assertEquals(0, keygen.exitCode(), keygen.output());
        return Files.readString(key);
    }

    private String sudoPassword() throws Exception {
        return Files.readString(Path.of(services.get("FRESH_SUDO_PASSWORD_FILE"))).strip();
    }

    private void assertSecretsNeverShown(String deployKey) throws Exception {
        List<String> secrets = new ArrayList<>(List.of(sudoPassword()));
        deployKey.lines().filter(line -> !line.startsWith("-----")).forEach(secrets::add);
        for (String log : logs) {
            String shown = String.join("\n", log.lines().filter(line -> !line.startsWith("::add-mask::")).toList());
            secrets.forEach(secret -> assertFalse(shown.contains(secret), "a secret was printed"));
        }
    }

    private CommandResult on(String user, SshKey key, String script) {
        SshEndpoint endpoint = new SshEndpoint(user, services.get("FRESH_SSH_HOST"),
                Integer.parseInt(services.get("FRESH_SSH_PORT")));
        try (SshConnection ssh = new SshConnector(key, hostKeys, null, SshOptions.DEFAULTS).connect(endpoint,
                warning -> {}, notice -> {})) {
            return ssh.execute(RemoteCommand.of("sh", "-c", script), OutputListener.SILENT);
        }
    }

    private CommandResult asRoot(String script) {
        return on("root", adminKey, script);
    }

    private String asApp(String deployKey, String script) throws Exception {
        CommandResult result = on("pyerp", SshKey.parse(deployKey, ""), script);
        assertEquals(0, result.exitStatus(), script + ": " + result.stderr());
        return result.stdout().strip();
    }

    /** The processes chrooted into the server's root that are not its sshd or a login session of it. */
    private static List<String> daemonsLeftIn(Path root) throws Exception {
        List<String> left = new ArrayList<>();
        for (ProcessHandle process : ProcessHandle.allProcesses().toList()) {
            Path link = Path.of("/proc", String.valueOf(process.pid()), "root");
            String command = process.info().command().orElse("");
            try {
                if (Files.readSymbolicLink(link).equals(root) && !command.endsWith("/sshd")) {
                    left.add(process.pid() + " " + command);
                }
            } catch (java.io.IOException gone) {
                // exited, or not ours to read
            }
        }
        return left;
    }

    /** The mount points at and below the server's root, as the server sees them, in this machine's mount table. */
    private static List<String> mountsUnder(Path root) throws Exception {
        return Files.readAllLines(Path.of("/proc/mounts")).stream().map(line -> Path.of(line.split(" ")[1]))
                .filter(point -> point.startsWith(root)).map(point -> "/" + root.relativize(point)).sorted().toList();
    }
}
