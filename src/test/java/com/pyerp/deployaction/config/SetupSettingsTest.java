package com.pyerp.deployaction.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.Workspace;
import com.pyerp.deployaction.server.Privilege;
import com.pyerp.deployaction.ssh.SshEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every setup-server input is checked before any connection; each rejection names the input and the fix. */
class SetupSettingsTest {

    private static final String PUBLIC_KEY =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJz/QzPF1fPeiqkScS5eePB6R6w0gmNjEkiVet12poN3 deploy@ci";
    private static final String KNOWN_HOSTS =
            "[erp1.example.com]:2200 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMpKP4aAeKImRSvX9ReLKwbVLIYYBXEhpHyYNnOQSwZP";

    @TempDir
    static Path dir;
    static String privateKey;

    @BeforeAll
    static void key() throws Exception {
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                dir.resolve("key").toString()).redirectErrorStream(true).start();
        assertEquals(0, keygen.waitFor());
        privateKey = Files.readString(dir.resolve("key"));
    }

    private static Map<String, String> valid() {
        Map<String, String> env = new HashMap<>();
        env.put("INPUT_COMMAND", "setup-server");
        env.put("INPUT_SSH-HOST", "erp1.example.com:2200");
        env.put("INPUT_SSH-KEY", privateKey);
        env.put("INPUT_SSH-KNOWN-HOSTS", KNOWN_HOSTS);
        env.put("INPUT_APP-PUBLIC-KEY", PUBLIC_KEY);
        env.put("INPUT_ENV-FILE", "EMAIL_HOST=smtp.example.com\n");
        return env;
    }

    private static SetupSettings settings(Map<String, String> env) {
        return SetupSettings.from(Inputs.from(env, Map.of()), "pyERP", new Workspace(dir, null));
    }

    private static ActionException rejected(String input, String value) {
        Map<String, String> env = valid();
        env.put("INPUT_" + input.toUpperCase(), value);
        return assertThrows(ActionException.class, () -> settings(env));
    }

    @Test
    void defaults() {
        SetupSettings settings = settings(valid());
        assertEquals(List.of(new SshEndpoint("root", "erp1.example.com", 2200)), settings.hosts());
        assertEquals(new SetupTarget("pyerp", "/srv/pyerp", PUBLIC_KEY, null, SetupTarget.Proxy.NONE,
                SetupTarget.Swarm.NONE, ""), settings.target());
        assertEquals("smtp.example.com", settings.source().get("EMAIL_HOST"));
        assertTrue(settings.template().keys().isEmpty());
        assertEquals("", settings.sudoPassword());
    }

    @Test
    void noSecretIsInTheTextOfTheSettingsOrOfWhatTheyHold() {
        Map<String, String> env = valid();
        env.put("INPUT_SUDO-PASSWORD", "sudo-s3cr3t");
        env.put("INPUT_ENV-FILE", "DATABASE_URL=mysql://u:pw-s3cr3t@db/x\n");
        env.put("INPUT_IMAGES", "ghcr.io/acme/erp");
        env.put("INPUT_REGISTRY-USERNAME", "octo");
        env.put("INPUT_REGISTRY-PASSWORD", "registry-s3cr3t");
        SetupSettings settings = settings(env);
        Privilege privilege = new Privilege(Privilege.Mode.SUDO_PASSWORD, "admin", "pyerp", settings.sudoPassword());
        for (Object holder : List.of(settings, privilege, settings.source(), settings.source().entries().get(0),
                settings.target())) {
            assertFalse(holder.toString().contains("s3cr3t"), holder.toString());
        }
        assertTrue(settings.toString().contains("erp1.example.com"), settings.toString());
    }

    @Test
    void envFilesAreReadFromPathsOrTakenAsContent() throws Exception {
        Files.writeString(dir.resolve("prod.env"), "A=1\n");
        Files.writeString(dir.resolve(".env.example"), "SECRET_KEY=\nB=2 # @required\n");
        Map<String, String> env = valid();
        env.put("INPUT_ENV-FILE", "prod.env");
        env.put("INPUT_ENV-TEMPLATE", ".env.example");
        SetupSettings settings = settings(env);
        assertEquals("A=1\n", settings.sourceText());
        assertTrue(settings.template().spec("B").required());
        assertTrue(settings.template().spec("SECRET_KEY").secret());
    }

    @Test
    void theRegistryComesFromTheFirstImage() {
        Map<String, String> env = valid();
        env.put("INPUT_IMAGES", "ghcr.io/octo/erp\ndocker.io/octo/erp");
        env.put("INPUT_REGISTRY-USERNAME", "octo");
        env.put("INPUT_REGISTRY-PASSWORD", "ghp_x");
        SetupTarget.Registry registry = settings(env).target().registry();
        assertEquals(new SetupTarget.Registry("ghcr.io", "octo", "ghp_x"), registry);
        assertFalse(registry.toString().contains("ghp_x"));
        assertEquals("docker.io", SetupSettings.registryOf("octo/erp"));
        assertEquals("localhost:5000", SetupSettings.registryOf("localhost:5000/erp"));
        assertEquals("https://index.docker.io/v1/", new SetupTarget.Registry("docker.io", "u", "p").configKey());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bad User", "root", "1abc", "UPPER", "a-very-long-user-name-of-more-than-32-chars"})
    void rejectsAppUsers(String name) {
        ActionException e = rejected("app-user", name);
        assertEquals("Invalid input: app-user", e.title());
        assertTrue(e.getMessage().startsWith("Input 'app-user' is '" + name + "', but it must be a Linux user name"),
                e.getMessage());
    }

    @Test
    void theProxyIsCaddyOnlyWhenAskedFor() {
        Map<String, String> env = valid();
        env.put("INPUT_PROXY", "caddy");
        assertEquals(SetupTarget.Proxy.CADDY, settings(env).target().proxy());
        env.put("INPUT_PROXY", "None");
        assertEquals(SetupTarget.Proxy.NONE, settings(env).target().proxy());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nginx", "traefik", "caddy2", "true"})
    void rejectsProxiesOtherThanNoneAndCaddy(String proxy) {
        ActionException e = rejected("proxy", proxy);
        assertEquals("Invalid input: proxy", e.title());
        assertEquals("Input 'proxy' is '" + proxy + "', but it must be one of none, caddy. Set it in the step's 'with:'"
                + " block (or pass --proxy=VALUE on the command line).", e.getMessage());
    }

    @Test
    void theSwarmIsInitialisedOnlyWhenAskedForWithTheGivenAddress() {
        Map<String, String> env = valid();
        env.put("INPUT_SWARM", "INIT");
        assertEquals(SetupTarget.Swarm.INIT, settings(env).target().swarm());
        assertEquals("", settings(env).target().swarmAdvertiseAddr(), "empty: the server's own address");
        for (String address : List.of("10.0.0.5", "10.0.0.5:2377", "eth0", "ens3:4000", "enp0s31f6", "br-a1b2.100",
                "2001:db8::5", "[2001:db8::5]:2377", "[fe80::1]", "::1")) {
            env.put("INPUT_SWARM-ADVERTISE-ADDR", address);
            assertEquals(address, settings(env).target().swarmAdvertiseAddr());
        }
        env.put("INPUT_SWARM", "none");
        assertEquals(SetupTarget.Swarm.NONE, settings(env).target().swarm());
    }

    @ParameterizedTest
    @ValueSource(strings = {"manager", "join", "true", "initialise"})
    void rejectsSwarmsOtherThanNoneAndInit(String swarm) {
        ActionException e = rejected("swarm", swarm);
        assertEquals("Invalid input: swarm", e.title());
        assertEquals("Input 'swarm' is '" + swarm + "', but it must be one of none, init. Set it in the step's"
                + " 'with:' block (or pass --swarm=VALUE on the command line).", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.256", "10.0.0.5:0", "10.0.0.5:65536", "eth0:x", "2001:db8::5:2377x", "[2001:db8::5",
            "[10.0.0.5]:2377", "a-very-long-interface", "10.0.0.5; reboot", "0eth", "1:2:3", "-eth0", "eth0:"})
    void rejectsAdvertiseAddressesThatAreNeitherAddressNorInterface(String address) {
        ActionException e = rejected("swarm-advertise-addr", address);
        assertEquals("Invalid input: swarm-advertise-addr", e.title());
        assertTrue(e.getMessage().startsWith("Input 'swarm-advertise-addr' is '" + address + "', but it must be an IP"
                + " address or a network interface of the server, optionally with :PORT, such as 10.0.0.5, eth0,"
                + " 10.0.0.5:2377 or [2001:db8::5]:2377"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"srv/erp", "/srv/../etc", "/srv", "/etc", "/srv/my app", "/srv/./erp", "/", "/srv//erp"})
    void rejectsAppDirectories(String directory) {
        ActionException e = rejected("app-dir", directory);
        assertEquals("Invalid input: app-dir", e.title());
        assertTrue(e.getMessage().contains("an absolute directory of its own"), e.getMessage());
    }

    @Test
    void theDefaultAppDirectoryNeedsARepositoryName() {
        ActionException e = assertThrows(ActionException.class,
                () -> SetupSettings.from(Inputs.from(valid(), Map.of()), "", new Workspace(dir, null)));
        assertEquals("Missing input: app-dir", e.title());
    }

    @Test
    void rejectsPublicKeysThatAreNotOneOpenSshLine() {
        assertEquals("Invalid input: app-public-key", rejected("app-public-key", "ssh-ed25519 not-base64!").title());
        assertEquals("Invalid input: app-public-key", rejected("app-public-key",
                "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIJz/QzPF1fPeiqkScS5eePB6R6w0gmNjEkiVet12poN3").title());
        ActionException privateKey = rejected("app-public-key", SetupSettingsTest.privateKey);
        assertTrue(privateKey.getMessage().contains("holds a private key"), privateKey.getMessage());
        assertFalse(privateKey.getMessage().contains("OPENSSH PRIVATE KEY-----\n"), "never echoed");
    }

    @Test
    void rejectsMalformedEnvFilesWithoutEchoingThem() {
        ActionException e = rejected("env-file", "A=1\nDB_PASSWORD='hunter2\n");
        assertEquals("Invalid input: env-file", e.title());
        assertEquals("Input 'env-file' is not a valid .env file: env-file, line 2: the quoted value of DB_PASSWORD is"
                + " never closed (a ' is missing). Nothing was changed on any server.", e.getMessage());
        ActionException plain = rejected("env-file", "A=1\nhunter2 hunter3\n");
        assertFalse(plain.getMessage().contains("hunter"), plain.getMessage());
        assertEquals("Invalid input: env-template", rejected("env-template", "X=1 # @server:fqdn").title());
        assertEquals("Invalid input: env-file", rejected("env-file", "missing.env").title());
    }

    @Test
    void rejectsEnvFilesOutsideTheWorkspace() {
        for (String input : List.of("env-file", "env-template")) {
            ActionException e = rejected(input, "../../../../etc/passwd");
            assertEquals("Invalid input: " + input, e.title());
            assertTrue(e.getMessage().startsWith("Input '" + input + "': '../../../../etc/passwd' leads outside the"
                    + " workspace ("), e.getMessage());
        }
    }

    @Test
    void rejectsRegistryLoginsItCannotPerform() {
        Map<String, String> noImages = valid();
        noImages.put("INPUT_REGISTRY-PASSWORD", "t");
        noImages.put("INPUT_REGISTRY-USERNAME", "u");
        assertEquals("Missing input: images", assertThrows(ActionException.class, () -> settings(noImages)).title());
        Map<String, String> noUser = valid();
        noUser.put("INPUT_REGISTRY-PASSWORD", "t");
        noUser.put("INPUT_IMAGES", "ghcr.io/o/a");
        assertEquals("Missing input: registry-username", assertThrows(ActionException.class, () -> settings(noUser))
                .title());
    }

    @Test
    void rejectsMissingOrUnpinnedHosts() {
        Map<String, String> noHost = valid();
        noHost.remove("INPUT_SSH-HOST");
        assertEquals("Missing input: ssh-host", assertThrows(ActionException.class, () -> settings(noHost)).title());
        assertEquals("Invalid input: ssh-host", rejected("ssh-host", "bad host!").title());
        Map<String, String> unpinned = valid();
        unpinned.remove("INPUT_SSH-KNOWN-HOSTS");
        assertEquals("Host key not pinned", assertThrows(ActionException.class, () -> settings(unpinned)).title());
        assertEquals("Invalid input: ssh-fingerprint", rejected("ssh-fingerprint", "MD5:00").title());
        assertEquals("Invalid input: ssh-key", rejected("ssh-key", "").title());
    }

    @Test
    void noRegistryWithoutAPassword() {
        Map<String, String> env = valid();
        env.put("INPUT_IMAGES", "ghcr.io/o/a");
        assertNull(settings(env).target().registry());
    }
}
