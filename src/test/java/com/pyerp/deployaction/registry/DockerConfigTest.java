package com.pyerp.deployaction.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.action.ActionException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DockerConfigTest {

    private static final String SECRET = "s3cr3t-Pa55word";
    private static final String AUTH = base64("octo:" + SECRET);

    @TempDir
    Path temp;
    private Path configDir;
    private Path bin;

    @BeforeEach
    void directories() throws IOException {
        configDir = Files.createDirectories(temp.resolve("docker"));
        bin = Files.createDirectories(temp.resolve("bin"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ghcr.io", "https://ghcr.io", "https://ghcr.io/v1/", "http://ghcr.io", "ghcr.io/v2/"})
    void authsKeyFormsMatchTheirRegistry(String key) throws IOException {
        writeConfig("{\"auths\": {\"" + key + "\": {\"auth\": \"" + AUTH + "\"}}}");

        Credential credential = load().credentialFor("ghcr.io").orElseThrow();

        assertEquals("octo", credential.username());
        assertEquals(SECRET, credential.secret());
        assertTrue(credential.source().contains(key), credential.source());
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:5443", "http://127.0.0.1:5443", "https://127.0.0.1:5443/v2/"})
    void authsKeyWithPortMatchesOnlyThatPort(String key) throws IOException {
        writeConfig("{\"auths\": {\"" + key + "\": {\"auth\": \"" + AUTH + "\"}}}");
        DockerConfig config = load();

        assertEquals(SECRET, config.credentialFor("127.0.0.1:5443").orElseThrow().secret());
        assertEquals(Optional.empty(), config.credentialFor("127.0.0.1:5444"));
        assertEquals(Optional.empty(), config.credentialFor("127.0.0.1"));
    }

    @Test
    void credentialsGoOnlyToTheRegistryTheyBelongTo() throws IOException {
        writeConfig("{\"auths\": {\"ghcr.io\": {\"auth\": \"" + AUTH + "\"},"
                + " \"https://evil.example/ghcr.io\": {\"auth\": \"" + base64("x:y") + "\"}}}");
        DockerConfig config = load();

        assertEquals(Optional.empty(), config.credentialFor("ghcr.io.evil.example"));
        assertEquals(Optional.empty(), config.credentialFor("docker.io"));
        assertEquals("y", config.credentialFor("evil.example").orElseThrow().secret());
        assertEquals(SECRET, config.credentialFor("ghcr.io").orElseThrow().secret());
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"})
    void dockerHubAliasesShareOneLogin(String registry) throws IOException {
        writeConfig("{\"auths\": {\"https://index.docker.io/v1/\": {\"auth\": \"" + AUTH + "\"}}}");
        assertEquals(SECRET, load().credentialFor(registry).orElseThrow().secret());

        writeConfig("{\"auths\": {\"docker.io\": {\"auth\": \"" + AUTH + "\"}}}");
        assertEquals(SECRET, load().credentialFor(registry).orElseThrow().secret());
    }

    @Test
    void theKeyDockerWouldUseWinsOverOtherForms() throws IOException {
        writeConfig("{\"auths\": {\"https://ghcr.io\": {\"auth\": \"" + base64("other:pw") + "\"},"
                + " \"ghcr.io\": {\"auth\": \"" + AUTH + "\"}}}");
        assertEquals("octo", load().credentialFor("ghcr.io").orElseThrow().username());
    }

    @Test
    void usernameAndPasswordFieldsAndAnyKeyCaseAreAccepted() throws IOException {
        writeConfig("{\"Auths\": {\"ghcr.io\": {\"Username\": \"octo\", \"PASSWORD\": \"" + SECRET + "\"},"
                + " \"quay.io\": {}}}");
        DockerConfig config = load();

        assertEquals(new Credential("octo", SECRET, "docker config.json auths \"ghcr.io\""),
                config.credentialFor("ghcr.io").orElseThrow());
        assertEquals(Optional.empty(), config.credentialFor("quay.io"));
    }

    @Test
    void identityTokenBecomesJibsRefreshTokenCredential() throws IOException {
        writeConfig("{\"auths\": {\"myacr.azurecr.io\": {\"auth\": \""
                + base64("00000000-0000-0000-0000-000000000000:") + "\", \"identitytoken\": \"" + SECRET + "\"},"
                + " \"ghcr.io\": {\"auth\": \"" + AUTH + "\", \"identitytoken\": \"ignored\"}}}");
        DockerConfig config = load();

        Credential token = config.credentialFor("myacr.azurecr.io").orElseThrow();
        assertEquals(Credential.IDENTITY_TOKEN_USER, token.username());
        assertEquals(SECRET, token.secret());
        // Like Jib: the token is used only with the placeholder user and an empty password.
        assertEquals("octo", config.credentialFor("ghcr.io").orElseThrow().username());
    }

    @Test
    void credHelpersWinOverAuthsAndGetTheirKeyAsServerUrl() throws IOException {
        helper("fake", "printf '%s' '{\"ServerURL\":\"x\",\"Username\":\"helper-user\",\"Secret\":\""
                + SECRET + "\"}'");
        writeConfig("{\"credHelpers\": {\"https://ghcr.io\": \"fake\"},"
                + " \"auths\": {\"ghcr.io\": {\"auth\": \"" + base64("file-user:pw") + "\"},"
                + " \"quay.io\": {\"auth\": \"" + AUTH + "\"}}}");
        DockerConfig config = load();

        Credential credential = config.credentialFor("ghcr.io").orElseThrow();
        assertEquals("helper-user", credential.username());
        assertEquals(SECRET, credential.secret());
        assertEquals("docker-credential-fake (credHelpers)", credential.source());
        assertEquals("https://ghcr.io", serverUrlSentTo("fake"));
        assertEquals("octo", config.credentialFor("quay.io").orElseThrow().username());
    }

    @Test
    void credHelperWithoutCredentialsFallsBackToAuths() throws IOException {
        helper("empty", "echo 'credentials not found in native keychain'; exit 1");
        writeConfig("{\"credHelpers\": {\"ghcr.io\": \"empty\"},"
                + " \"auths\": {\"ghcr.io\": {\"auth\": \"" + AUTH + "\"}}}");
        assertEquals("octo", load().credentialFor("ghcr.io").orElseThrow().username());
    }

    @Test
    void credsStoreAnswersWhenAuthsHoldsOnlyAPlaceholder() throws IOException {
        helper("store", "printf '%s' '{\"Username\":\"stored\",\"Secret\":\"" + SECRET + "\"}'");
        writeConfig("{\"auths\": {\"ghcr.io\": {}}, \"credsStore\": \"store\"}");
        DockerConfig config = load();

        assertEquals(new Credential("stored", SECRET, "docker-credential-store (credsStore)"),
                config.credentialFor("ghcr.io").orElseThrow());
        assertEquals("ghcr.io", serverUrlSentTo("store"));

        config.credentialFor("registry-1.docker.io").orElseThrow();
        assertEquals("https://index.docker.io/v1/", serverUrlSentTo("store"));
    }

    @Test
    void aHelperIsAskedOncePerRegistry() throws IOException {
        helper("store", "echo asked >> \"$0.count\"; printf '%s' '{\"Username\":\"stored\",\"Secret\":\"" + SECRET + "\"}'");
        writeConfig("{\"credsStore\": \"store\"}");
        DockerConfig config = load();

        for (int i = 0; i < 3; i++) {
            assertEquals("stored", config.credentialFor("ghcr.io").orElseThrow().username());
        }
        config.credentialFor("127.0.0.1:5000");

        assertEquals(2, Files.readAllLines(bin.resolve("docker-credential-store.count")).size());
    }

    @Test
    void credsStoreIsNotRunWhenAuthsHoldsTheLogin() throws IOException {
        writeConfig("{\"auths\": {\"ghcr.io\": {\"auth\": \"" + AUTH + "\"}}, \"credsStore\": \"not-installed\"}");
        assertEquals("octo", load().credentialFor("ghcr.io").orElseThrow().username());
    }

    @Test
    void credsStoreWithoutCredentialsMeansAnonymous() throws IOException {
        helper("store", "echo 'credentials not found in native keychain'; exit 1");
        writeConfig("{\"credsStore\": \"store\"}");
        assertEquals(Optional.empty(), load().credentialFor("ghcr.io"));
    }

    @Test
    void helperIdentityTokenIsKeptForJib() throws IOException {
        helper("token", "printf '%s' '{\"Username\":\"<token>\",\"Secret\":\"" + SECRET + "\"}'");
        writeConfig("{\"credHelpers\": {\"ghcr.io\": \"token\"}}");

        Credential credential = load().credentialFor("ghcr.io").orElseThrow();

        assertEquals(Credential.IDENTITY_TOKEN_USER, credential.username());
        assertEquals(SECRET, credential.secret());
    }

    @Test
    void helpersDoNotSeeActionInputs() throws IOException {
        helper("env", "printf '{\"Username\":\"inputs-%s\",\"Secret\":\"x\"}' \"$(env | grep -c '^INPUT_')$MARK\"");
        writeConfig("{\"credsStore\": \"env\"}");
        Map<String, String> env = Map.of("DOCKER_CONFIG", configDir.toString(), "PATH", path(),
                "INPUT_REGISTRY-PASSWORD", "other-registry-password", "MARK", "-seen");

        assertEquals("inputs-0-seen", DockerConfig.load(env).credentialFor("ghcr.io").orElseThrow().username());
    }

    @Test
    void missingConfigIsEmptyAndHomeIsTheDefault() throws IOException {
        Path home = Files.createDirectories(temp.resolve("home"));
        Map<String, String> env = Map.of("HOME", home.toString(), "PATH", path());
        assertEquals(Optional.empty(), DockerConfig.load(env).credentialFor("ghcr.io"));

        Files.createDirectories(home.resolve(".docker"));
        Files.writeString(home.resolve(".docker/config.json"),
                "{\"auths\": {\"ghcr.io\": {\"auth\": \"" + AUTH + "\"}}}");
        assertEquals("octo", DockerConfig.load(env).credentialFor("ghcr.io").orElseThrow().username());
    }

    @Test
    void blankConfigIsEmpty() throws IOException {
        writeConfig("  \n");
        assertEquals(Optional.empty(), load().credentialFor("ghcr.io"));
    }

    @Test
    void invalidJsonNamesTheFileButNotItsContent() throws IOException {
        writeConfig("{\"auths\": {\"ghcr.io\": {\"auth\": " + SECRET + "}}}");

        ActionException error = assertThrows(ActionException.class, this::load);

        assertEquals("Invalid Docker config", error.title());
        assertTrue(error.getMessage().contains(configDir.resolve("config.json").toString()), error.getMessage());
        assertTrue(error.getMessage().contains("line 1"), error.getMessage());
        assertFalse(error.getMessage().contains(SECRET), error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"auths\": [\"%s\"]}", "{\"auths\": {\"ghcr.io\": \"%s\"}}",
            "{\"auths\": {\"ghcr.io\": {\"auth\": [\"%s\"]}}}", "{\"credHelpers\": {\"ghcr.io\": {\"x\": \"%s\"}}}",
            "{\"credsStore\": [\"%s\"]}", "[\"%s\"]", "\"%s\""})
    void wrongValueTypeIsInvalid(String json) throws IOException {
        writeConfig(json.formatted(SECRET));

        ActionException error = assertThrows(ActionException.class, this::load);

        assertEquals("Invalid Docker config", error.title());
        assertFalse(error.getMessage().contains(SECRET), error.getMessage());
    }

    @Test
    void unknownKeysAndNullsAreIgnored() throws IOException {
        writeConfig("{\"HttpHeaders\": {\"User-Agent\": \"x\"}, \"auths\": {\"quay.io\": null,"
                + " \"ghcr.io\": {\"auth\": \"" + AUTH + "\", \"email\": null}}, \"credHelpers\": null,"
                + " \"credsStore\": null}");

        assertEquals(SECRET, load().credentialFor("ghcr.io").orElseThrow().secret());
        assertEquals(Optional.empty(), load().credentialFor("quay.io"));
    }

    @Test
    void unreadableConfigIsAnError() throws IOException {
        Files.createDirectories(configDir.resolve("config.json"));

        ActionException error = assertThrows(ActionException.class, this::load);

        assertEquals("Docker config unreadable", error.title());
        assertTrue(error.getMessage().contains(configDir.resolve("config.json").toString()), error.getMessage());
    }

    @Test
    void authThatIsNotBase64UserColonPasswordIsAnError() throws IOException {
        writeConfig("{\"auths\": {\"ghcr.io\": {\"auth\": \"" + base64(SECRET) + "\"},"
                + " \"quay.io\": {\"auth\": \"%%" + SECRET + "\"}}}");
        DockerConfig config = load();

        for (String registry : new String[] {"ghcr.io", "quay.io"}) {
            ActionException error = assertThrows(ActionException.class, () -> config.credentialFor(registry));
            assertTrue(error.getMessage().contains("\"" + registry + "\""), error.getMessage());
            assertFalse(error.getMessage().contains(SECRET), error.getMessage());
        }
    }

    @Test
    void missingHelperNamesItTheRegistryAndTheFix() throws IOException {
        writeConfig("{\"credHelpers\": {\"ghcr.io\": \"absent\"}}");

        ActionException error = assertThrows(ActionException.class, () -> load().credentialFor("ghcr.io"));

        assertEquals("Docker credential helper not found", error.title());
        assertTrue(error.getMessage().contains("docker-credential-absent"), error.getMessage());
        assertTrue(error.getMessage().contains("ghcr.io"), error.getMessage());
        assertTrue(error.getMessage().contains("docker/login-action"), error.getMessage());
    }

    @Test
    void failingHelperReportsItsExitCodeButNotItsOutput() throws IOException {
        helper("broken", "echo '" + SECRET + "'; echo 'gpg: decryption failed' >&2; exit 3");
        writeConfig("{\"credsStore\": \"broken\"}");

        ActionException error = assertThrows(ActionException.class, () -> load().credentialFor("ghcr.io"));

        assertEquals("Docker credential helper failed", error.title());
        assertTrue(error.getMessage().contains("docker-credential-broken"), error.getMessage());
        assertTrue(error.getMessage().contains("ghcr.io"), error.getMessage());
        assertTrue(error.getMessage().contains("code 3: gpg: decryption failed"), error.getMessage());
        assertFalse(error.getMessage().contains(SECRET), error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Username: octo Secret: " + SECRET, "", "[\"" + SECRET + "\"]", "null"})
    void helperPrintingSomethingElseThanJsonIsAnError(String output) throws IOException {
        helper("garbage", "printf '%s' '" + output + "'");
        writeConfig("{\"credHelpers\": {\"ghcr.io\": \"garbage\"}}");

        ActionException error = assertThrows(ActionException.class, () -> load().credentialFor("ghcr.io"));

        assertTrue(error.getMessage().contains("docker-credential-garbage"), error.getMessage());
        assertTrue(error.getMessage().contains("JSON"), error.getMessage());
        assertFalse(error.getMessage().contains(SECRET), error.getMessage());
    }

    @Test
    void helperThatHangsTimesOut() throws IOException {
        helper("slow", "exec sleep 30");
        writeConfig("{\"credHelpers\": {\"ghcr.io\": \"slow\"}}");
        DockerConfig config = DockerConfig.load(env(), Duration.ofSeconds(1));

        long start = System.nanoTime();
        ActionException error = assertThrows(ActionException.class, () -> config.credentialFor("ghcr.io"));

        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10);
        assertTrue(error.getMessage().contains("within 1 s"), error.getMessage());
    }

    @Test
    void toStringHidesTheSecret() {
        Credential credential = new Credential("octo", SECRET, "registry-password input");
        assertFalse(credential.toString().contains(SECRET), credential.toString());
        assertTrue(credential.toString().contains("registry-password input"), credential.toString());
    }

    private DockerConfig load() {
        return DockerConfig.load(env());
    }

    private Map<String, String> env() {
        return Map.of("DOCKER_CONFIG", configDir.toString(), "PATH", path());
    }

    private String path() {
        return bin + File.pathSeparator + System.getenv("PATH");
    }

    private void writeConfig(String json) throws IOException {
        Files.writeString(configDir.resolve("config.json"), json);
    }

    /** A fake {@code docker-credential-<name>} that records the server URL it was given and then runs {@code body}. */
    private void helper(String name, String body) throws IOException {
        Path script = bin.resolve("docker-credential-" + name);
        Files.writeString(script, "#!/bin/sh\n[ \"$1\" = get ] || exit 9\ncat > \"$0.url\"\n" + body + "\n");
        assertTrue(script.toFile().setExecutable(true));
    }

    private String serverUrlSentTo(String name) throws IOException {
        return Files.readString(bin.resolve("docker-credential-" + name + ".url"));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
