package com.pyerp.deployaction.imagefs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pyerp.deployaction.registry.Credential;
import com.pyerp.deployaction.registry.RegistryChallenge;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An image read back from its registry over the distribution API, with the login the build used: the manifest
 * (for a multi-platform index, the runner's platform, else the first), the config, and each layer blob streamed
 * as it arrives. Bearer-token and basic challenges are both answered; blob redirects (to storage) are followed
 * without the registry's Authorization header.
 */
public final class RegistryImageSource implements ImageSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String registry;
    private final String repository;
    private final String reference;
    private final Optional<Credential> credential;
    private final String scheme;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private volatile String authorization;

    /** @param insecure plain HTTP, for registries listed in insecure-registries */
    public RegistryImageSource(String registry, String repository, String reference, Optional<Credential> credential,
            boolean insecure) {
        this.registry = registry;
        this.repository = repository;
        this.reference = reference;
        this.credential = credential;
        this.scheme = insecure ? "http" : "https";
    }

    @Override
    public String description() {
        return registry + "/" + repository + "@" + reference;
    }

    @Override
    public Manifest manifest() throws IOException {
        JsonNode manifest = json(get("/manifests/" + reference, RegistryChallenge.MANIFEST_TYPES));
        String platform = "";
        if (manifest.has("manifests")) {
            JsonNode chosen = choosePlatform(manifest.path("manifests"));
            platform = chosen.path("platform").path("os").asText() + "/" + chosen.path("platform").path("architecture").asText();
            manifest = json(get("/manifests/" + chosen.path("digest").asText(), RegistryChallenge.MANIFEST_TYPES));
        }
        JsonNode config = json(get("/blobs/" + manifest.path("config").path("digest").asText(), "*/*"));
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
        return get("/blobs/" + layer.digest(), "*/*").body();
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

    private HttpResponse<InputStream> get(String path, String accept) throws IOException {
        URI uri = URI.create(scheme + "://" + registry + "/v2/" + repository + path);
        for (int attempt = 0; attempt < 2; attempt++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).header("Accept", accept);
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            HttpResponse<InputStream> response = send(request.build());
            if (response.statusCode() == 401 && attempt == 0) {
                String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
                response.body().close();
                authorization = authorize(challenge);
                continue;
            }
            if (response.statusCode() / 100 == 3) {
                String location = response.headers().firstValue("Location").orElse("");
                response.body().close();
                response = send(HttpRequest.newBuilder(uri.resolve(location)).timeout(Duration.ofMinutes(10)).build());
            }
            if (response.statusCode() != 200) {
                response.body().close();
                throw new IOException("GET " + uri + " answered HTTP " + response.statusCode());
            }
            return response;
        }
        throw new IOException("the registry " + registry + " refused the login for " + repository
                + credential.map(c -> " (from " + c.source() + ")").orElse(" (no login was configured)"));
    }

    private String authorize(String challenge) throws IOException {
        Optional<RegistryChallenge> answer = RegistryChallenge.of(challenge, repository, "pull", credential);
        if (answer.isEmpty() || answer.get().tokenService() == null) {
            return RegistryChallenge.basic(credential);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(answer.get().tokenService()).timeout(Duration.ofSeconds(60));
        if (answer.get().basic() != null) {
            request.header("Authorization", answer.get().basic());
        }
        HttpResponse<InputStream> response = send(request.build());
        String body;
        try (InputStream stream = response.body()) {
            body = new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (response.statusCode() != 200) {
            throw new IOException("the token service " + answer.get().tokenService().getHost() + " answered HTTP "
                    + response.statusCode());
        }
        return RegistryChallenge.bearer(body).orElseThrow(() ->
                new IOException("the token service " + answer.get().tokenService().getHost() + " answered without a token"));
    }

    private HttpResponse<InputStream> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static JsonNode json(HttpResponse<InputStream> response) throws IOException {
        try (InputStream body = response.body()) {
            return JSON.readTree(body);
        }
    }
}
