package com.pyerp.deployaction.image;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Small questions to one repository of a registry, each a request or two, asked before or instead of a build:
 * may these credentials push, and which manifest does a tag point to. Anything inconclusive (network trouble,
 * an unusual auth flow) answers empty, and the build itself will tell.
 */
final class RegistryProbe {

    private static final int TIMEOUT_MILLIS = 15_000;

    /** What a request got back: the status, the headers that matter here, and the body. */
    private record Answer(int status, String location, String digest, String challenge, String body) {}

    private final String repository;
    private final Optional<Credential> credential;
    private final URI base;
    private String authorization;

    RegistryProbe(String registry, String repository, Optional<Credential> credential, boolean plainHttp) {
        this.repository = repository;
        this.credential = credential;
        this.base = URI.create((plainHttp ? "http://" : "https://") + registry + "/v2/" + repository + "/");
    }

    /**
     * Opens a blob upload session and cancels it at once. Returns the registry's refusal (status and body) for
     * a 401 or 403, or empty when pushing looks allowed or the check was inconclusive.
     */
    Optional<String> pushRefusal() {
        URI uploads = base.resolve("blobs/uploads/");
        try {
            Answer answer = send("POST", uploads, null);
            if (answer.status() == 401 && authorization == null) {
                return credential.isEmpty() ? Optional.of(describe(answer)) : Optional.empty();
            }
            if (answer.status() == 202 && answer.location() != null) {
                cancel(uploads.resolve(answer.location()));
            }
            return answer.status() == 401 || answer.status() == 403 ? Optional.of(describe(answer)) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The digest of the manifest (or index) that {@code tag} points to; empty when there is none, or no answer. */
    Optional<String> manifestDigest(String tag) {
        try {
            Answer answer = send("HEAD", base.resolve("manifests/" + tag), RegistryChallenge.MANIFEST_TYPES);
            return answer.status() == 200 ? Optional.ofNullable(answer.digest()) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Sends with the authorization won so far; on a 401 challenge, wins one (push and pull scope) and sends again. */
    private Answer send(String method, URI uri, String accept) throws IOException {
        Answer answer = request(method, uri, accept, authorization);
        if (answer.status() != 401 || authorization != null) {
            return answer;
        }
        Optional<String> granted = authorization(answer);
        if (granted.isEmpty()) {
            return answer;
        }
        authorization = granted.get();
        return request(method, uri, accept, authorization);
    }

    private static Answer request(String method, URI uri, String accept, String authorization) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        try {
            connection.setRequestMethod(method);
            connection.setInstanceFollowRedirects(false);
            connection.setConnectTimeout(TIMEOUT_MILLIS);
            connection.setReadTimeout(TIMEOUT_MILLIS);
            connection.setRequestProperty("User-Agent", "pyerp-deploy-action");
            if (accept != null) {
                connection.setRequestProperty("Accept", accept);
            }
            if (authorization != null) {
                connection.setRequestProperty("Authorization", authorization);
            }
            if (method.equals("POST")) {
                connection.setDoOutput(true);
                connection.setFixedLengthStreamingMode(0);
                connection.getOutputStream().close();
            }
            int status = connection.getResponseCode();
            String body = "";
            if (!method.equals("HEAD")) {
                try (InputStream stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                    body = stream == null ? "" : new String(stream.readNBytes(64 * 1024), StandardCharsets.UTF_8);
                }
            }
            return new Answer(status, connection.getHeaderField("Location"), connection.getHeaderField("Docker-Content-Digest"),
                    connection.getHeaderField("WWW-Authenticate"), body);
        } finally {
            connection.disconnect();
        }
    }

    /** Basic credentials, or a bearer token with push and pull scope from the challenge's realm. */
    private Optional<String> authorization(Answer challenge) throws IOException {
        Optional<RegistryChallenge> answer = RegistryChallenge.of(challenge.challenge(), repository, "push,pull", credential);
        if (answer.isEmpty() || answer.get().tokenService() == null) {
            return answer.map(RegistryChallenge::basic);
        }
        Answer token = request("GET", answer.get().tokenService(), null, answer.get().basic());
        return token.status() == 200 ? RegistryChallenge.bearer(token.body()) : Optional.empty();
    }

    private void cancel(URI upload) {
        try {
            request("DELETE", upload, null, authorization);
        } catch (IOException e) {
            // an abandoned upload session expires on the registry by itself
        }
    }

    private static String describe(Answer answer) {
        String body = answer.body().strip();
        return "HTTP " + answer.status() + (body.isEmpty() ? "" : " " + (body.length() > 300 ? body.substring(0, 300) : body));
    }
}
