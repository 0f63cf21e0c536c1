package com.pyerp.deployaction.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * One repository of a registry over the distribution API: which manifest a tag points to, manifests and blobs read
 * and checked against their digests, blobs and manifests written. The reads and writes throw {@link IOException};
 * {@link #manifestDigest} answers empty when the registry cannot say.
 */
public final class RegistryRepository {

    /** A manifest or blob as the registry served it, or as it is to be put. */
    public record Document(String mediaType, byte[] bytes) {}

    private final String registry;
    private final RegistryClient client;

    /** @param scope {@code pull}, or {@code push,pull} to write */
    public RegistryRepository(String registry, String repository, Optional<Credential> credential, boolean plainHttp,
            String scope) {
        this.registry = registry;
        this.client = new RegistryClient(registry, repository, credential, plainHttp, scope);
    }

    public String registry() {
        return registry;
    }

    /** The digest of the manifest (or index) that {@code tag} points to; empty when there is none, or no answer. */
    public Optional<String> manifestDigest(String tag) {
        try {
            RegistryClient.Response answer = client.send("HEAD", client.uri("manifests/" + tag),
                    RegistryChallenge.MANIFEST_TYPES, null);
            return answer.status() == 200 ? Optional.ofNullable(answer.digest()) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The manifest (or index) with this digest, checked against it. */
    public Document manifest(String digest) throws IOException {
        RegistryClient.Response answer = client.send("GET", client.uri("manifests/" + digest),
                RegistryChallenge.MANIFEST_TYPES, null);
        expect(answer, 200, "GET manifest " + digest);
        return new Document(answer.contentType(), checked(digest, answer.body()));
    }

    /** The blob with this digest, checked against it; a redirect to storage is followed without credentials. */
    public byte[] blob(String digest) throws IOException {
        RegistryClient.Response answer = client.fetch("blobs/" + digest);
        expect(answer, 200, "GET blob " + digest);
        return checked(digest, answer.body());
    }

    public boolean hasBlob(String digest) throws IOException {
        RegistryClient.Response answer = client.send("HEAD", client.uri("blobs/" + digest), null, null);
        if (answer.status() != 200 && answer.status() != 404) {
            expect(answer, 200, "HEAD blob " + digest);
        }
        return answer.status() == 200;
    }

    /** Uploads a blob in one request (a monolithic upload), as the distribution API allows. */
    public void upload(String digest, Upload content) throws IOException {
        RegistryClient.Response session = openUpload();
        expect(session, 202, "POST blob upload");
        String location = session.resolvedLocation()
                .orElseThrow(() -> new IOException("the registry opened an upload session without a Location"))
                .toString();
        URI put = URI.create(location + (location.contains("?") ? "&" : "?") + "digest=" + digest);
        expect(client.send("PUT", put, null, content), 201, "PUT blob " + digest);
    }

    /**
     * Mounts a blob from another repository of this registry, which spares the upload; false when the registry
     * would not (a token scoped to this repository only, say).
     */
    public boolean mount(String digest, String fromRepository) throws IOException {
        RegistryClient.Response answer = client.send("POST", client.uri("blobs/uploads/?mount=" + digest + "&from="
                + fromRepository), null, emptyBody());
        if (answer.status() == 202) {
            answer.resolvedLocation().ifPresent(this::cancelUpload);
        }
        return answer.status() == 201;
    }

    /** Streams a blob into {@code file}, checked against its digest. */
    public void download(String digest, Path file) throws IOException {
        copyBlob(digest, out -> Files.copy(out, file, StandardCopyOption.REPLACE_EXISTING));
    }

    /** Where a streamed blob goes; the stream ends where the blob does. */
    @FunctionalInterface
    public interface Sink {
        void accept(InputStream blob) throws IOException;
    }

    /** Streams a blob into {@code sink}, then checks it against its digest: the sink's result is good only then. */
    public void copyBlob(String digest, Sink sink) throws IOException {
        MessageDigest sha256 = sha256();
        try (InputStream in = new DigestInputStream(client.open("blobs/" + digest, "*/*"), sha256)) {
            sink.accept(in);
        }
        String actual = "sha256:" + HexFormat.of().formatHex(sha256.digest());
        if (!actual.equals(digest)) {
            throw new IOException("the registry served " + actual + " for " + digest);
        }
    }

    public void putManifest(String reference, Document manifest) throws IOException {
        expect(client.send("PUT", client.uri("manifests/" + reference), null, Upload.of(manifest.mediaType(),
                manifest.bytes())), 201, "PUT manifest " + reference);
    }

    /** Opens a blob upload session, for a caller that only wants to know whether it may. */
    public RegistryClient.Response openUpload() throws IOException {
        return client.send("POST", client.uri("blobs/uploads/"), null, emptyBody());
    }

    /** Cancels an upload session; one left open expires on the registry by itself. */
    public void cancelUpload(URI upload) {
        try {
            client.send("DELETE", upload, null, null);
        } catch (IOException e) {
            // expires by itself
        }
    }

    /** {@code sha256:} and the hex digest of {@code bytes}. */
    public static String digest(byte[] bytes) {
        return "sha256:" + HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static Upload emptyBody() {
        return Upload.of("application/octet-stream", new byte[0]);
    }

    private static void expect(RegistryClient.Response answer, int status, String what) throws IOException {
        if (answer.status() != status) {
            throw new IOException(what + ": " + answer.describe());
        }
    }

    private static byte[] checked(String digest, byte[] bytes) throws IOException {
        String actual = digest(bytes);
        if (!actual.equals(digest)) {
            throw new IOException("the registry served " + actual + " for " + digest);
        }
        return bytes;
    }
}
