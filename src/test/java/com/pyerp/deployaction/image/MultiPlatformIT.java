package com.pyerp.deployaction.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pyerp.deployaction.Main;
import com.pyerp.deployaction.action.RunnerFileCommands;
import com.pyerp.deployaction.testing.Processes;
import com.pyerp.deployaction.testing.RunnerEnv;
import com.pyerp.deployaction.testing.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code platforms} with two entries gives a manifest list. The registry gets a two-platform base made from the
 * busybox test image (the arm64 entry reuses the amd64 layer: only the manifests are checked, nothing runs).
 */
class MultiPlatformIT {

    private static final String MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    private static final String MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path workspace;

    @Test
    void twoPlatformsGiveAManifestListWithBoth() throws Exception {
        TestServices services = TestServices.require("REGISTRY");
        String registry = "http://" + services.get("REGISTRY") + "/v2/";
        String base = "it/multi-base-" + UUID.randomUUID().toString().substring(0, 8);
        multiPlatformBase(registry, base);

        Path app = Files.createDirectories(workspace.resolve("src"));
        Files.writeString(app.resolve("hello.txt"), "hello\n");
        Files.writeString(Files.createDirectories(workspace.resolve("deps")).resolve("lib.py"), "X = 1\n");
        String repository = "it/multi-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> env = RunnerEnv.with(RunnerEnv.pushToMain(workspace),
                "HOME", workspace.toString(), "RUNNER_TEMP", workspace.toString(),
                "INPUT_IMAGES", services.get("REGISTRY") + "/" + repository,
                "INPUT_TAGS", "type=raw,value=multi",
                "INPUT_BASE-IMAGE", services.get("REGISTRY") + "/" + base + ":1",
                "INPUT_LAYERS", "deps:/deps\nsrc:/app", "INPUT_PLATFORMS", "linux/amd64,linux/arm64",
                "INPUT_INSECURE-REGISTRIES", services.get("REGISTRY"), "INPUT_DEPLOY", "false");
        Path output = Path.of(env.get("GITHUB_OUTPUT"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(log, true, StandardCharsets.UTF_8);
        assertEquals(0, Main.run(new String[0], env, print, print, workspace), log.toString(StandardCharsets.UTF_8));

        String digest = RunnerFileCommands.parse(Files.readString(output)).get("digest");
        HttpResponse<String> list = get(registry + repository + "/manifests/multi", MANIFEST_LIST + ", " + MANIFEST);
        assertEquals(MANIFEST_LIST, list.headers().firstValue("Content-Type").orElse(""));
        assertEquals(digest, list.headers().firstValue("Docker-Content-Digest").orElse(""));
        List<String> platforms = new ArrayList<>();
        JSON.readTree(list.body()).path("manifests").forEach(entry ->
                platforms.add(entry.path("platform").path("os").asText() + "/" + entry.path("platform").path("architecture").asText()));
        assertEquals(List.of("linux/amd64", "linux/arm64"), platforms.stream().sorted().toList());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("Dependency layers (/deps) changed or new"),
                "the dependency layer went into a dependency image, a manifest list too: " + log);
        String image = services.get("REGISTRY") + "/" + repository + "@" + digest;
        assertEquals(0, Processes.run(List.of("docker", "pull", "--platform", "linux/amd64", image), Map.of()).exitCode());
        assertEquals(new Processes.Result(0, "X = 1\nhello\n"), Processes.run(List.of("docker", "run", "--rm", "--network",
                "host", "--entrypoint", "/bin/cat", image, "/deps/lib.py", "/app/hello.txt"), Map.of()));
        Processes.run(List.of("docker", "rmi", "-f", image), Map.of());
    }

    /** {@code base:1}: a manifest list of the busybox image as amd64 and again as arm64. */
    private void multiPlatformBase(String registry, String base) throws Exception {
        JsonNode amd64 = JSON.readTree(get(registry + "base/busybox/manifests/1", MANIFEST).body());
        String layer = amd64.path("layers").get(0).path("digest").asText();
        String config = amd64.path("config").path("digest").asText();
        mount(registry, base, layer);
        mount(registry, base, config);
        ObjectNode armConfig = (ObjectNode) JSON.readTree(get(registry + "base/busybox/blobs/" + config, "*/*").body());
        armConfig.put("architecture", "arm64");
        byte[] armConfigBytes = JSON.writeValueAsBytes(armConfig);
        String armConfigDigest = upload(registry, base, armConfigBytes);
        ObjectNode arm64 = amd64.deepCopy();
        ((ObjectNode) arm64.path("config")).put("digest", armConfigDigest).put("size", armConfigBytes.length);
        byte[] amd64Bytes = JSON.writeValueAsBytes(amd64);
        byte[] arm64Bytes = JSON.writeValueAsBytes(arm64);
        put(registry + base + "/manifests/amd64", MANIFEST, amd64Bytes);
        put(registry + base + "/manifests/arm64", MANIFEST, arm64Bytes);
        String list = "{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST_LIST + "\",\"manifests\":["
                + entry(amd64Bytes, "amd64") + "," + entry(arm64Bytes, "arm64") + "]}";
        put(registry + base + "/manifests/1", MANIFEST_LIST, list.getBytes(StandardCharsets.UTF_8));
    }

    private static String entry(byte[] manifest, String architecture) throws Exception {
        return "{\"mediaType\":\"" + MANIFEST + "\",\"size\":" + manifest.length + ",\"digest\":\"" + digest(manifest)
                + "\",\"platform\":{\"architecture\":\"" + architecture + "\",\"os\":\"linux\"}}";
    }

    private void mount(String registry, String repository, String digest) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(registry + repository
                + "/blobs/uploads/?mount=" + digest + "&from=base/busybox")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
    }

    private String upload(String registry, String repository, byte[] blob) throws Exception {
        HttpResponse<String> session = http.send(HttpRequest.newBuilder(URI.create(registry + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        String location = session.headers().firstValue("Location").orElseThrow();
        String digest = digest(blob);
        URI target = URI.create(registry).resolve(location + (location.contains("?") ? "&" : "?") + "digest=" + digest);
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(target).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(blob)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, put.statusCode(), put.body());
        return digest;
    }

    private void put(String url, String mediaType, byte[] body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), url + ": " + response.body());
    }

    private HttpResponse<String> get(String url, String accept) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() == 200, url + ": " + response.statusCode() + " " + response.body());
        return response;
    }

    private static String digest(byte[] content) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
