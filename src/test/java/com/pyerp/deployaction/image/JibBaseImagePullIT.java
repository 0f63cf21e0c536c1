package com.pyerp.deployaction.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.pyerp.deployaction.testing.Processes;
import com.pyerp.deployaction.testing.TestServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jib pulls a real base image from the loopback registry. This is what breaks when commons-io and
 * commons-compress disagree (IllegalAccessError in CacheStorageWriter); a scratch build would not notice.
 */
class JibBaseImagePullIT {

    @TempDir
    Path dir;

    @Test
    void baseImageLayersArePulledAndTheImageRunsInDocker() throws Exception {
        TestServices services = TestServices.require("REGISTRY");
        Path app = Files.writeString(dir.resolve("hello.txt"), "hello from jib\n");
        String name = "pyerp-it/base-pull:" + UUID.randomUUID().toString().substring(0, 8);

        // A tar target needs every base layer locally, so they are pulled and decompressed into the cache.
        JibContainer container = Jib.from(RegistryImage.named(services.get("BASE_IMAGE")))
                .addLayer(List.of(app), AbsoluteUnixPath.get("/app"))
                .setEntrypoint("/bin/cat", "/app/hello.txt")
                .containerize(Containerizer.to(TarImage.at(dir.resolve("image.tar")).named(name))
                        .setAllowInsecureRegistries(true)
                        .setBaseImageLayersCache(dir.resolve("base-cache"))
                        .setApplicationLayersCache(dir.resolve("app-cache")));

        assertTrue(container.getDigest().toString().startsWith("sha256:"));
        assertEquals(0, Processes.run("docker", "load", "-i", dir.resolve("image.tar").toString()).exitCode());
        Processes.Result run = Processes.run("docker", "run", "--rm", "--network", "host", name);
        Processes.run("docker", "rmi", "-f", name);
        assertEquals(new Processes.Result(0, "hello from jib\n"), run);
    }

    @Test
    void pushesToTheTlsRegistryWithCredentials() throws Exception {
        TestServices services = TestServices.require("REGISTRY", "TLS_REGISTRY");
        String user = services.get("TLS_REGISTRY_USER");
        String password = services.registryPassword();
        String repository = "pyerp-it/tls-push";
        String tag = UUID.randomUUID().toString().substring(0, 8);
        Path app = Files.writeString(dir.resolve("app.txt"), "app\n");

        JibContainer container = Jib.from(RegistryImage.named(services.get("BASE_IMAGE")))
                .addLayer(List.of(app), AbsoluteUnixPath.get("/app"))
                .containerize(Containerizer.to(RegistryImage.named(services.get("TLS_REGISTRY") + "/" + repository + ":" + tag)
                                .addCredential(user, password))
                        // for the plain-HTTP base registry; the TLS registry is still verified against the test CA
                        // (javax.net.ssl.trustStore, set by the failsafe configuration)
                        .setAllowInsecureRegistries(true)
                        .setBaseImageLayersCache(dir.resolve("base-cache"))
                        .setApplicationLayersCache(dir.resolve("app-cache")));

        HttpResponse<String> manifest = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("https://" + services.get("TLS_REGISTRY") + "/v2/" + repository + "/manifests/" + tag))
                        .header("Accept", "application/vnd.docker.distribution.manifest.v2+json")
                        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                                (user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, manifest.statusCode(), manifest.body());
        assertEquals(container.getDigest().toString(), manifest.headers().firstValue("Docker-Content-Digest").orElse(""));
        JsonNode layers = new ObjectMapper().readTree(manifest.body()).path("layers");
        assertEquals(2, layers.size(), "base layer + app layer: " + manifest.body());
    }
}
