package com.pyerp.deployaction.system;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * GETs from a Debian mirror over HTTP(S), following its redirects; 404 is "not there", other failures throw. Whole
 * bodies ({@link #get}) are the small signed files; indexes and packages stream ({@link #open}).
 */
public final class HttpArchive implements SuiteIndexes.Http {

    /** Release files are some 150 kB; the whole file is read before its signature is checked. */
    private static final int MAX_SIGNED_FILE = 16 << 20;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    @Override
    public Optional<InputStream> open(URI uri) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5))
                .header("User-Agent", "pyerp-deploy-action").GET().build();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() == 404 || response.statusCode() == 410) {
                response.body().close();
                return Optional.empty();
            }
            if (response.statusCode() / 100 != 2) {
                response.body().close();
                throw new IOException("HTTP " + response.statusCode());
            }
            return Optional.of(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public Optional<byte[]> get(URI uri) throws IOException {
        Optional<InputStream> body = open(uri);
        if (body.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = body.get()) {
            byte[] bytes = in.readNBytes(MAX_SIGNED_FILE + 1);
            if (bytes.length > MAX_SIGNED_FILE) {
                throw new IOException("it is larger than " + MAX_SIGNED_FILE / (1 << 20) + " MiB, which no Release file is");
            }
            return Optional.of(bytes);
        }
    }
}
