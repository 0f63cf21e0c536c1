package com.pyerp.deployaction.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pyerp.deployaction.Main;
import com.pyerp.deployaction.action.RunnerFileCommands;
import com.pyerp.deployaction.imagefs.TestLayers;
import com.pyerp.deployaction.registry.RegistryRepository;
import com.pyerp.deployaction.registry.Upload;
import com.pyerp.deployaction.testing.RunnerEnv;
import com.pyerp.deployaction.testing.TestServices;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each platform resolved for its own architecture: a two-platform base (the python3-only amd64 image, and an arm64
 * image that is only an empty dpkg database, as this machine has no arm64 userland), the set resolved from the
 * mirror's amd64 and arm64 indexes, and the pushed index holding a system layer per platform with that
 * architecture's libraries.
 */
class MultiPlatformSystemPackagesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

    @TempDir
    Path workspace;

    @Test
    void theIndexHoldsASystemLayerPerPlatformWithItsOwnArchitecture() throws Exception {
        TestServices services = TestServices.require("REGISTRY", "DEBIAN_MIRROR");
        String registry = services.get("REGISTRY");
        String base = twoPlatformBase(registry, services.pythonBaseImage());
        String repository = "it/multi-system-" + UUID.randomUUID().toString().substring(0, 8);
        Files.writeString(Files.createDirectories(workspace.resolve("src")).resolve("app.py"), "print('app')\n");
        String mirror = services.debianMirrorUrl().toString().replaceAll("/$", "");
        Map<String, String> env = RunnerEnv.with(RunnerEnv.buildToTestRegistry(workspace, services, repository,
                "[\"python3\", \"/app/app.py\"]"), "INPUT_BASE-IMAGE", base, "INPUT_PLATFORMS", "linux/amd64,linux/arm64",
                "INPUT_SYSTEM-PACKAGES", "libmariadb3", "INPUT_SYSTEM-PACKAGES-SOURCES", String.join("\n",
                        "deb " + mirror + "/debian bookworm main", "deb " + mirror + "/debian bookworm-updates main",
                        "deb " + mirror + "/debian-security bookworm-security main"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(log, true, StandardCharsets.UTF_8);
        assertEquals(0, Main.run(new String[0], env, print, print, workspace), log.toString(StandardCharsets.UTF_8));
        String digest = RunnerFileCommands.parse(Files.readString(Path.of(env.get("GITHUB_OUTPUT")))).get("digest");

        RegistryRepository pushed = new RegistryRepository(registry, repository, Optional.empty(), true, "pull");
        JsonNode index = JSON.readTree(pushed.manifest(digest).bytes());
        assertEquals(2, index.path("manifests").size(), index.toString());
        for (JsonNode entry : index.path("manifests")) {
            String architecture = entry.path("platform").path("architecture").asText();
            JsonNode manifest = JSON.readTree(pushed.manifest(entry.path("digest").asText()).bytes());
            JsonNode layers = manifest.path("layers");
            List<String> files = files(pushed.blob(layers.get(layers.size() - 2).path("digest").asText()));
            String libraries = architecture.equals("arm64") ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
            assertTrue(files.stream().anyMatch(file -> file.matches("(\\./)?usr/lib/" + libraries + "/libmariadb\\.so\\.3")),
                    architecture + ": " + files.stream().filter(file -> file.contains("libmariadb")).toList());
            assertTrue(files.stream().noneMatch(file -> file.contains(architecture.equals("arm64") ? "x86_64-linux-gnu"
                    : "aarch64-linux-gnu")), architecture + " holds only its own architecture's files");
        }
    }

    /** An index of the python base (amd64) and an arm64 image with an empty dpkg database, in the base's repository. */
    private static String twoPlatformBase(String registry, String pythonBase) throws IOException {
        String repositoryName = pythonBase.substring(pythonBase.indexOf('/') + 1, pythonBase.lastIndexOf(':'));
        RegistryRepository repository = new RegistryRepository(registry, repositoryName, Optional.empty(), true,
                "push,pull");
        String amd64 = repository.manifestDigest(pythonBase.substring(pythonBase.lastIndexOf(':') + 1)).orElseThrow();
        byte[] layer = new TestLayers().file("var/lib/dpkg/status", "")
                .file("usr/lib/os-release", "ID=debian\nVERSION_CODENAME=bookworm\n")
                .symlink("etc/os-release", "../usr/lib/os-release").gzip();
        String diffId;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(layer))) {
            diffId = RegistryRepository.digest(in.readAllBytes());
        }
        byte[] config = ("{\"architecture\":\"arm64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"python3\"]},\"rootfs\":"
                + "{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]},\"history\":[{\"created_by\":\"test\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        repository.upload(RegistryRepository.digest(layer), Upload.of("application/octet-stream", layer));
        repository.upload(RegistryRepository.digest(config), Upload.of("application/octet-stream", config));
        byte[] arm64 = ("{\"schemaVersion\":2,\"mediaType\":\"" + DOCKER_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.docker.container.image.v1+json\",\"size\":" + config.length + ",\"digest\":\""
                + RegistryRepository.digest(config) + "\"},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"size\":" + layer.length + ",\"digest\":\""
                + RegistryRepository.digest(layer) + "\"}]}").getBytes(StandardCharsets.UTF_8);
        repository.putManifest(RegistryRepository.digest(arm64), new RegistryRepository.Document(DOCKER_MANIFEST, arm64));
        RegistryRepository.Document amd64Manifest = repository.manifest(amd64);
        String list = "application/vnd.docker.distribution.manifest.list.v2+json";
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + list + "\",\"manifests\":[{\"mediaType\":\""
                + DOCKER_MANIFEST + "\",\"size\":" + amd64Manifest.bytes().length + ",\"digest\":\"" + amd64 + "\","
                + "\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},{\"mediaType\":\"" + DOCKER_MANIFEST
                + "\",\"size\":" + arm64.length + ",\"digest\":\"" + RegistryRepository.digest(arm64) + "\","
                + "\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}}]}")
                .getBytes(StandardCharsets.UTF_8);
        String tag = "two-platforms-" + UUID.randomUUID().toString().substring(0, 8);
        repository.putManifest(tag, new RegistryRepository.Document(list, index));
        return registry + "/" + repositoryName + ":" + tag;
    }

    private static List<String> files(byte[] gzippedTar) throws IOException {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(gzippedTar)))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                names.add(entry.getName());
            }
        }
        return names;
    }
}
