package com.pyerp.deployaction.imagefs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pyerp.deployaction.registry.Credential;
import com.pyerp.deployaction.registry.RegistryChallenge;
import com.pyerp.deployaction.registry.RegistryClient;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An image read back from its registry over the distribution API, with the login the build used: the manifest
 * (for a multi-platform index, the runner's platform, else the first), the config, and each layer blob streamed
 * as it arrives, each asked for with pull scope through a {@link RegistryClient}.
 */
public final class RegistryImageSource implements ImageSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String registry;
    private final String repository;
    private final String reference;
    private final RegistryClient client;

    /** @param insecure plain HTTP, for registries listed in insecure-registries */
    public RegistryImageSource(String registry, String repository, String reference, Optional<Credential> credential,
            boolean insecure) {
        this.registry = registry;
        this.repository = repository;
        this.reference = reference;
        this.client = new RegistryClient(registry, repository, credential, insecure, "pull");
    }

    @Override
    public String description() {
        return registry + "/" + repository + "@" + reference;
    }

    @Override
    public Manifest manifest() throws IOException {
        JsonNode manifest = json(client.open("manifests/" + reference, RegistryChallenge.MANIFEST_TYPES));
        String platform = "";
        if (manifest.has("manifests")) {
            JsonNode chosen = choosePlatform(manifest.path("manifests"));
            platform = chosen.path("platform").path("os").asText() + "/" + chosen.path("platform").path("architecture").asText();
            manifest = json(client.open("manifests/" + chosen.path("digest").asText(), RegistryChallenge.MANIFEST_TYPES));
        }
        JsonNode config = json(client.open("blobs/" + manifest.path("config").path("digest").asText(), "*/*"));
        JsonNode diffIds = config.path("rootfs").path("diff_ids");
        List<Layer> layers = new ArrayList<>();
        JsonNode descriptors = manifest.path("layers");
        for (int i = 0; i < descriptors.size(); i++) {
            String digest = descriptors.get(i).path("digest").asText();
            layers.add(new Layer(digest, diffIds.path(i).asText(digest), descriptors.get(i).path("size").asLong()));
        }
        return new Manifest(List.copyOf(layers), platform.isEmpty() ? TarImageSource.platform(config) : platform);
    }

    @Override
    public InputStream openLayer(Layer layer) throws IOException {
        return client.open("blobs/" + layer.digest(), "*/*");
    }

    /** linux on the runner's architecture when the index has it, else its first image. */
    static JsonNode choosePlatform(JsonNode manifests) {
        String arch = runnerArchitecture();
        for (JsonNode entry : manifests) {
            if (entry.path("platform").path("os").asText().equals("linux")
                    && entry.path("platform").path("architecture").asText().equals(arch)) {
                return entry;
            }
        }
        return manifests.get(0);
    }

    public static String runnerArchitecture() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
    }

    private static JsonNode json(InputStream body) throws IOException {
        try (body) {
            return JSON.readTree(body);
        }
    }
}
