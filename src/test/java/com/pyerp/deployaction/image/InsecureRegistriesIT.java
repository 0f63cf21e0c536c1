package com.pyerp.deployaction.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.global.JibSystemProperties;
import com.pyerp.deployaction.Main;
import com.pyerp.deployaction.action.RunnerFileCommands;
import com.pyerp.deployaction.testing.RunnerEnv;
import com.pyerp.deployaction.testing.TestServices;
import com.pyerp.deployaction.testing.UntrustedTlsRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * insecure-registries applies to the registries it lists and to no other: a registry that is not listed is reached
 * over verified TLS only, so a registry whose certificate the runner does not trust gets neither the target's
 * credentials nor the build's trust, whichever other registry is listed.
 */
class InsecureRegistriesIT {

    private static final String SECRET = "target-secret-" + UUID.randomUUID();

    @TempDir
    Path workspace;

    private TestServices services;
    private String repository;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void app() throws IOException {
        services = TestServices.require("REGISTRY", "TLS_REGISTRY");
        repository = "it/insecure-" + UUID.randomUUID().toString().substring(0, 8);
        Files.writeString(Files.createDirectories(workspace.resolve("src")).resolve("hello.txt"), "hello\n");
    }

    @Test
    void anUntrustedTargetGetsNothingWhenOnlyTheBaseRegistryIsListed() throws Exception {
        try (UntrustedTlsRegistry untrusted = UntrustedTlsRegistry.start(Files.createDirectories(workspace.resolve("untrusted")))) {
            long start = System.nanoTime();
            run(runner("INPUT_IMAGES", untrusted.address() + "/" + repository,
                    "INPUT_REGISTRY-USERNAME", "ci", "INPUT_REGISTRY-PASSWORD", SECRET), 1);

            String error = onlyError();
            assertTrue(error.startsWith("::error title=Registry certificate not trusted::"), error);
            assertTrue(error.contains("The TLS certificate of " + untrusted.address() + " is not trusted"), error);
            assertTrue(error.contains("PKIX") || error.contains("certification path"), error);
            assertNoStackTrace();
            assertFalse(text().contains("::group::Build"), "nothing was built: " + text());
            assertTrue(System.nanoTime() - start < 15_000_000_000L, "fails in seconds, before Jib's handshake retries");
            assertEquals(List.of(), untrusted.requests(), "no request got past the TLS handshake, so no credential either");
            assertFalse(untrusted.hasManifest(repository, "main"), "nothing pushed");
        }
    }

    @Test
    void anUntrustedBaseRegistryIsNotReadWhenOnlyTheTargetIsListed() throws Exception {
        try (UntrustedTlsRegistry untrusted = UntrustedTlsRegistry.start(Files.createDirectories(workspace.resolve("untrusted")))) {
            String base = untrusted.address() + "/base/busybox:1";
            Jib.from(RegistryImage.named(services.get("BASE_IMAGE"))).containerize(Containerizer.to(RegistryImage.named(base))
                    .setAllowInsecureRegistries(true)
                    .setBaseImageLayersCache(workspace.resolve("seed-cache"))
                    .setApplicationLayersCache(workspace.resolve("seed-cache")));
            int seeded = untrusted.requests().size();

            run(runner("INPUT_BASE-IMAGE", base), 1);

            String error = onlyError();
            assertTrue(error.contains("The TLS certificate of " + untrusted.address() + " is not trusted"), error);
            assertNoStackTrace();
            assertEquals(seeded, untrusted.requests().size(), "the base registry was not read: " + untrusted.requests());
            assertEquals(404, tagsStatus(), "nothing pushed");
        }
    }

    /**
     * The base image is pulled over verified TLS on its own, then the image is built from it for the listed target:
     * to the byte the image a build with both registries listed makes.
     */
    @Test
    void aBaseOnAVerifiedRegistryAndAListedTargetGiveTheImageOfAListedBase() throws Exception {
        String bothListed = run(runner("INPUT_IMAGES", services.get("REGISTRY") + "/" + repository + "-listed",
                "INPUT_REGISTRY-USERNAME", "ci", "INPUT_REGISTRY-PASSWORD", SECRET), 0).get("digest");
        assertNull(System.getProperty(JibSystemProperties.SEND_CREDENTIALS_OVER_HTTP),
                "sendCredentialsOverHttp is not left set for the whole JVM");

        log.reset();
        Map<String, String> outputs = run(runner("INPUT_BASE-IMAGE", services.get("TLS_BASE_IMAGE"),
                "DOCKER_CONFIG", TestServices.DIRECTORY.resolve("docker-config").toString()), 0);
        assertEquals("true", outputs.get("pushed"));
        assertEquals(bothListed, outputs.get("digest"), "the same base image, layers and configuration: " + text());
        assertTrue(text().lines().noneMatch(line -> line.startsWith("::error") || line.contains("title=Registry hiccup")),
                text());
        try (Stream<Path> left = Files.list(workspace)) {
            assertEquals(List.of(), left.filter(path -> path.getFileName().toString().startsWith("pyerp-base-image-"))
                    .toList(), "the staged base image is deleted");
        }
    }

    @Test
    void severalPlatformsAcrossAListedAndAnUnlistedRegistryFailOnceWithTheFix() throws Exception {
        run(runner("INPUT_IMAGES", services.get("TLS_REGISTRY") + "/" + repository,
                "INPUT_REGISTRY-USERNAME", services.get("TLS_REGISTRY_USER"),
                "INPUT_REGISTRY-PASSWORD", services.registryPassword(),
                "INPUT_PLATFORMS", "linux/amd64,linux/arm64"), 1);

        String error = onlyError();
        assertTrue(error.startsWith("::error title=Platforms and insecure-registries::"), error);
        assertTrue(error.contains(services.get("REGISTRY")) && error.contains(services.get("TLS_REGISTRY")), error);
        assertTrue(error.contains("one platform"), error);
        assertNoStackTrace();
    }

    private Map<String, String> runner(String... inputs) throws IOException {
        return RunnerEnv.with(RunnerEnv.buildToTestRegistry(workspace, services, repository,
                "[\"/bin/cat\", \"/app/hello.txt\"]"), inputs);
    }

    private Map<String, String> run(Map<String, String> env, int expectedExit) throws IOException {
        PrintStream print = new PrintStream(log, true, StandardCharsets.UTF_8);
        int exit = Main.run(new String[0], env, print, print, workspace);
        assertEquals(expectedExit, exit, text());
        return RunnerFileCommands.parse(Files.readString(Path.of(env.get("GITHUB_OUTPUT"))));
    }

    private String onlyError() {
        List<String> errors = text().lines().filter(line -> line.startsWith("::error")).toList();
        assertEquals(1, errors.size(), text());
        assertFalse(errors.get(0).contains(SECRET), "the credential is never printed");
        return errors.get(0);
    }

    private void assertNoStackTrace() {
        assertTrue(text().lines().noneMatch(line -> line.matches("\\s+at [\\w.$]+\\(.*\\)") || line.startsWith("Caused by:")),
                text());
    }

    private String text() {
        return log.toString(StandardCharsets.UTF_8);
    }

    private int tagsStatus() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + services.get("REGISTRY")
                + "/v2/" + repository + "/tags/list")).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
