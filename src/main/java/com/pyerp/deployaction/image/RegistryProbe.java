package com.pyerp.deployaction.image;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.registry.Credential;
import com.pyerp.deployaction.registry.RegistryChallenge;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Requests to one repository of a registry over the distribution API, for the small questions asked before or
 * instead of a build (may these credentials push, which manifest does a tag point to) and for {@link TopLayerPush}'s
 * reads and uploads. The questions answer empty when anything is inconclusive (network trouble, an unusual auth
 * flow), and the build itself will tell; the reads and uploads throw {@link IOException}.
 */
final class RegistryProbe {

    private static final int TIMEOUT_MILLIS = 15_000;
    private static final int MAX_TEXT = 64 * 1024;
    private static final int MAX_DOCUMENT = 16 * 1024 * 1024;

    /** What a request got back: the status, the headers that matter here, and the body. */
    private record Answer(int status, String location, String digest, String challenge, String contentType, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A request body: bytes in memory, or a file whose bytes sent so far go to {@code sent} as they go. */
    record Upload(String contentType, byte[] bytes, Path file, LongConsumer sent) {
        static Upload of(String contentType, byte[] bytes) {
            return new Upload(contentType, bytes, null, total -> {});
        }

        static Upload of(Path file, LongConsumer sent) {
            return new Upload("application/octet-stream", null, file, sent);
        }

        long length() throws IOException {
            return bytes != null ? bytes.length : Files.size(file);
        }

        void writeTo(OutputStream out) throws IOException {
            if (bytes != null) {
                out.write(bytes);
                return;
            }
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[1 << 16];
                long total = 0;
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    out.write(buffer, 0, read);
                    total += read;
                    sent.accept(total);
                }
            }
        }
    }

    /** A manifest or blob as the registry served it. */
    record Document(String mediaType, byte[] bytes) {}

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
     * a 401 or 403, or empty when pushing looks allowed or the check was inconclusive. A certificate the runner does
     * not trust is not inconclusive: it fails here in a second, where Jib would retry the handshake for most of a
     * minute.
     */
    Optional<String> pushRefusal() {
        URI uploads = base.resolve("blobs/uploads/");
        try {
            Answer answer = send("POST", uploads, null, Upload.of("application/octet-stream", new byte[0]));
            if (answer.status() == 401 && authorization == null) {
                return credential.isEmpty() ? Optional.of(describe(answer)) : Optional.empty();
            }
            if (answer.status() == 202 && answer.location() != null) {
                cancel(uploads.resolve(answer.location()));
            }
            return answer.status() == 401 || answer.status() == 403 ? Optional.of(describe(answer)) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            if (RegistryFailures.isCertificateProblem(e)) {
                throw new ActionException("Registry certificate not trusted", RegistryFailures.describe(e) + ". "
                        + RegistryFailures.advice(e, base.getAuthority(), false) + " Nothing was built or pushed.");
            }
            return Optional.empty();
        }
    }

    /** The digest of the manifest (or index) that {@code tag} points to; empty when there is none, or no answer. */
    Optional<String> manifestDigest(String tag) {
        try {
            Answer answer = send("HEAD", base.resolve("manifests/" + tag), RegistryChallenge.MANIFEST_TYPES, null);
            return answer.status() == 200 ? Optional.ofNullable(answer.digest()) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The manifest (or index) with this digest, checked against it. */
    Document manifest(String digest) throws IOException {
        Answer answer = send("GET", base.resolve("manifests/" + digest), RegistryChallenge.MANIFEST_TYPES, null);
        expect(answer, 200, "GET manifest " + digest);
        return new Document(answer.contentType(), checked(digest, answer.body()));
    }

    /** The blob with this digest, checked against it; a redirect to storage is followed without credentials. */
    byte[] blob(String digest) throws IOException {
        Answer answer = send("GET", base.resolve("blobs/" + digest), null, null);
        for (int redirects = 0; redirects < 5 && answer.status() / 100 == 3 && answer.location() != null; redirects++) {
            answer = request("GET", base.resolve("blobs/" + digest).resolve(answer.location()), null, null, null);
        }
        expect(answer, 200, "GET blob " + digest);
        return checked(digest, answer.body());
    }

    boolean hasBlob(String digest) throws IOException {
        Answer answer = send("HEAD", base.resolve("blobs/" + digest), null, null);
        if (answer.status() != 200 && answer.status() != 404) {
            expect(answer, 200, "HEAD blob " + digest);
        }
        return answer.status() == 200;
    }

    /** Uploads a blob in one request (a monolithic upload), as the distribution API allows. */
    void upload(String digest, Upload content) throws IOException {
        Answer session = send("POST", base.resolve("blobs/uploads/"), null, Upload.of("application/octet-stream", new byte[0]));
        expect(session, 202, "POST blob upload");
        if (session.location() == null) {
            throw new IOException("the registry opened an upload session without a Location");
        }
        String location = base.resolve("blobs/uploads/").resolve(session.location()).toString();
        URI put = URI.create(location + (location.contains("?") ? "&" : "?") + "digest=" + digest);
        expect(send("PUT", put, null, content), 201, "PUT blob " + digest);
    }

    void putManifest(String reference, Document manifest) throws IOException {
        expect(send("PUT", base.resolve("manifests/" + reference), null, Upload.of(manifest.mediaType(), manifest.bytes())),
                201, "PUT manifest " + reference);
    }

    private static void expect(Answer answer, int status, String what) throws IOException {
        if (answer.status() != status) {
            throw new IOException(what + ": " + describe(answer));
        }
    }

    private static byte[] checked(String digest, byte[] bytes) throws IOException {
        String actual = "sha256:" + LayerPlanner.sha256Hex(bytes);
        if (!actual.equals(digest)) {
            throw new IOException("the registry served " + actual + " for " + digest);
        }
        return bytes;
    }

    /**
     * Sends with the authorization won so far; on a 401 challenge, wins one (push and pull scope) and sends again.
     * A token won earlier may have expired since (registries grant them for minutes): then a new one is won.
     */
    private Answer send(String method, URI uri, String accept, Upload upload) throws IOException {
        Answer answer = request(method, uri, accept, authorization, upload);
        if (answer.status() != 401) {
            return answer;
        }
        Optional<String> granted = authorization(answer);
        if (granted.isEmpty() || granted.get().equals(authorization)) {
            return answer;
        }
        authorization = granted.get();
        return request(method, uri, accept, authorization, upload);
    }

    private static Answer request(String method, URI uri, String accept, String authorization, Upload upload)
            throws IOException {
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
            if (upload != null) {
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", upload.contentType());
                connection.setFixedLengthStreamingMode(upload.length());
                try (OutputStream out = connection.getOutputStream()) {
                    upload.writeTo(out);
                }
            }
            int status = connection.getResponseCode();
            byte[] body = new byte[0];
            if (!method.equals("HEAD")) {
                try (InputStream stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                    body = stream == null ? body : stream.readNBytes(status == 200 ? MAX_DOCUMENT : MAX_TEXT);
                }
            }
            return new Answer(status, connection.getHeaderField("Location"), connection.getHeaderField("Docker-Content-Digest"),
                    connection.getHeaderField("WWW-Authenticate"), connection.getContentType(), body);
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
        Answer token = request("GET", answer.get().tokenService(), null, answer.get().basic(), null);
        return token.status() == 200 ? RegistryChallenge.bearer(token.text()) : Optional.empty();
    }

    private void cancel(URI upload) {
        try {
            request("DELETE", upload, null, authorization, null);
        } catch (IOException e) {
            // an abandoned upload session expires on the registry by itself
        }
    }

    private static String describe(Answer answer) {
        String body = answer.text().strip();
        return "HTTP " + answer.status() + (body.isEmpty() ? "" : " " + (body.length() > 300 ? body.substring(0, 300) : body));
    }
}
