package com.pyerp.deployaction.image;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.registry.Credential;
import com.pyerp.deployaction.registry.RegistryChallenge;
import com.pyerp.deployaction.registry.RegistryClient;
import com.pyerp.deployaction.registry.Upload;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;

/**
 * Requests to one repository of a registry over the distribution API, for the small questions asked before or
 * instead of a build (may these credentials push, which manifest does a tag point to) and for {@link TopLayerPush}'s
 * reads and uploads. The questions answer empty when anything is inconclusive (network trouble, an unusual auth
 * flow), and the build itself will tell; the reads and uploads throw {@link IOException}.
 */
final class RegistryProbe {

    /** A manifest or blob as the registry served it. */
    record Document(String mediaType, byte[] bytes) {}

    private final String registry;
    private final boolean anonymous;
    private final RegistryClient client;

    RegistryProbe(String registry, String repository, Optional<Credential> credential, boolean plainHttp) {
        this.registry = registry;
        this.anonymous = credential.isEmpty();
        this.client = new RegistryClient(registry, repository, credential, plainHttp, "push,pull");
    }

    /**
     * Opens a blob upload session and cancels it at once. Returns the registry's refusal (status and body) for
     * a 401 or 403, or empty when pushing looks allowed or the check was inconclusive. A certificate the runner does
     * not trust is not inconclusive: it fails here in a second, where Jib would retry the handshake for most of a
     * minute.
     */
    Optional<String> pushRefusal() {
        try {
            RegistryClient.Response answer = client.send("POST", client.uri("blobs/uploads/"), null, emptyBody());
            if (answer.status() == 401 && !answer.authorized()) {
                return anonymous ? Optional.of(answer.describe()) : Optional.empty();
            }
            if (answer.status() == 202) {
                answer.resolvedLocation().ifPresent(this::cancel);
            }
            return answer.status() == 401 || answer.status() == 403 ? Optional.of(answer.describe()) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            if (RegistryFailures.isCertificateProblem(e)) {
                throw new ActionException("Registry certificate not trusted", RegistryFailures.describe(e) + ". "
                        + RegistryFailures.advice(e, registry, false) + " Nothing was built or pushed.");
            }
            return Optional.empty();
        }
    }

    /** The digest of the manifest (or index) that {@code tag} points to; empty when there is none, or no answer. */
    Optional<String> manifestDigest(String tag) {
        try {
            RegistryClient.Response answer = client.send("HEAD", client.uri("manifests/" + tag),
                    RegistryChallenge.MANIFEST_TYPES, null);
            return answer.status() == 200 ? Optional.ofNullable(answer.digest()) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The manifest (or index) with this digest, checked against it. */
    Document manifest(String digest) throws IOException {
        RegistryClient.Response answer = client.send("GET", client.uri("manifests/" + digest),
                RegistryChallenge.MANIFEST_TYPES, null);
        expect(answer, 200, "GET manifest " + digest);
        return new Document(answer.contentType(), checked(digest, answer.body()));
    }

    /** The blob with this digest, checked against it; a redirect to storage is followed without credentials. */
    byte[] blob(String digest) throws IOException {
        RegistryClient.Response answer = client.fetch("blobs/" + digest);
        expect(answer, 200, "GET blob " + digest);
        return checked(digest, answer.body());
    }

    boolean hasBlob(String digest) throws IOException {
        RegistryClient.Response answer = client.send("HEAD", client.uri("blobs/" + digest), null, null);
        if (answer.status() != 200 && answer.status() != 404) {
            expect(answer, 200, "HEAD blob " + digest);
        }
        return answer.status() == 200;
    }

    /** Uploads a blob in one request (a monolithic upload), as the distribution API allows. */
    void upload(String digest, Upload content) throws IOException {
        RegistryClient.Response session = client.send("POST", client.uri("blobs/uploads/"), null, emptyBody());
        expect(session, 202, "POST blob upload");
        String location = session.resolvedLocation()
                .orElseThrow(() -> new IOException("the registry opened an upload session without a Location"))
                .toString();
        URI put = URI.create(location + (location.contains("?") ? "&" : "?") + "digest=" + digest);
        expect(client.send("PUT", put, null, content), 201, "PUT blob " + digest);
    }

    void putManifest(String reference, Document manifest) throws IOException {
        expect(client.send("PUT", client.uri("manifests/" + reference), null, Upload.of(manifest.mediaType(),
                manifest.bytes())), 201, "PUT manifest " + reference);
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
        String actual = "sha256:" + LayerPlanner.sha256Hex(bytes);
        if (!actual.equals(digest)) {
            throw new IOException("the registry served " + actual + " for " + digest);
        }
        return bytes;
    }

    private void cancel(URI upload) {
        try {
            client.send("DELETE", upload, null, null);
        } catch (IOException e) {
            // an abandoned upload session expires on the registry by itself
        }
    }
}
