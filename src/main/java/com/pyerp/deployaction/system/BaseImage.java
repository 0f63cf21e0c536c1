package com.pyerp.deployaction.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.registry.RegistryRepository;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The base image as its registry holds it, one manifest and configuration per platform the build makes: the
 * packages are resolved, and the layer made, for each.
 *
 * @param top the base's index, or its only manifest
 */
record BaseImage(RegistryRepository.Document top, List<Platform> platforms) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param platform as the build names it ({@code linux/amd64})
     * @param entry the base index's descriptor of this manifest, null when the base is a single manifest
     */
    record Platform(String platform, String architecture, String digest, RegistryRepository.Document manifest,
            byte[] config, JsonNode entry) {}

    /** @param platforms {@code os/arch[/variant]} each; empty means linux/amd64, as Jib's default */
    static BaseImage read(RegistryRepository repository, String reference, String qualifier, List<String> platforms)
            throws IOException {
        List<String> wanted = platforms.isEmpty() ? List.of("linux/amd64") : platforms;
        String digest = qualifier.startsWith("sha256:") ? qualifier : repository.manifestDigest(qualifier).orElseThrow(() ->
                new ActionException("System packages: base image not found", "The registry has no manifest for "
                        + reference + ". Check base-image, and that the login can read it."));
        RegistryRepository.Document top = repository.manifest(digest);
        JsonNode json = JSON.readTree(top.bytes());
        List<Platform> found = new ArrayList<>();
        for (String platform : wanted) {
            if (json.has("manifests")) {
                JsonNode entry = entry(json.path("manifests"), platform, reference);
                String manifestDigest = entry.path("digest").asText();
                RegistryRepository.Document manifest = repository.manifest(manifestDigest);
                found.add(platform(repository, platform, manifestDigest, manifest, entry));
            } else {
                found.add(platform(repository, platform, digest, top, null));
            }
        }
        return new BaseImage(top, List.copyOf(found));
    }

    private static Platform platform(RegistryRepository repository, String platform, String digest,
            RegistryRepository.Document manifest, JsonNode entry) throws IOException {
        String configDigest = JSON.readTree(manifest.bytes()).path("config").path("digest").asText();
        byte[] config = repository.blob(configDigest);
        JsonNode parsed = JSON.readTree(config);
        String actual = parsed.path("os").asText() + "/" + parsed.path("architecture").asText()
                + (parsed.path("variant").asText().isEmpty() ? "" : "/" + parsed.path("variant").asText());
        if (!matches(actual, platform)) {
            throw new ActionException("System packages: platform not in the base image", "The base image is for "
                    + actual + " only, and the build makes " + platform + ". Use a base image for " + platform
                    + " (or a multi-platform one), or set platforms to " + actual + ".");
        }
        return new Platform(platform, DebianArchitecture.of(actual), digest, manifest, config, entry);
    }

    private static JsonNode entry(JsonNode manifests, String platform, String reference) {
        List<String> offered = new ArrayList<>();
        for (JsonNode entry : manifests) {
            JsonNode described = entry.path("platform");
            String offers = described.path("os").asText() + "/" + described.path("architecture").asText()
                    + (described.path("variant").asText().isEmpty() ? "" : "/" + described.path("variant").asText());
            if (matches(offers, platform)) {
                return entry;
            }
            offered.add(offers);
        }
        throw new ActionException("System packages: platform not in the base image", reference + " offers "
                + String.join(", ", offered) + ", not " + platform + ". Choose platforms the base image offers.");
    }

    /** {@code linux/arm64} matches {@code linux/arm64/v8}: a variant is matched only when the build names one. */
    private static boolean matches(String offered, String wanted) {
        return offered.equals(wanted) || wanted.split("/").length == 2 && offered.startsWith(wanted + "/");
    }
}
