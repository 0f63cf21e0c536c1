package com.pyerp.deployaction.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pyerp.deployaction.registry.RegistryRepository;
import com.pyerp.deployaction.registry.Upload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Puts the system image into the target repository: the base's layers (mounted from the base's repository when
 * the registry is the same, else copied through a file), the packages' layer, the configuration and the manifest.
 * A blob the repository already has is not sent again.
 */
final class SystemImagePush {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryRepository target;
    private final RegistryRepository base;
    private final String baseRepository;
    private final boolean sameRegistry;
    private final Path scratch;

    SystemImagePush(RegistryRepository target, RegistryRepository base, String baseRepository, Path scratch) {
        this.target = target;
        this.base = base;
        this.baseRepository = baseRepository;
        this.sameRegistry = target.registry().equals(base.registry());
        this.scratch = scratch;
    }

    /** The digest of the image {@code tag} names, if the repository has it. */
    Optional<String> existing(String tag) {
        return target.manifestDigest(tag);
    }

    /** What an image found in the repository holds, from its history. */
    List<PackageSet> packageSets(String digest) throws IOException {
        return ReusedImage.packageSets(target, digest);
    }

    /** Tags the image with this digest once more. */
    void tag(String digest, String tag) throws IOException {
        target.putManifest(tag, target.manifest(digest));
    }

    /**
     * The platforms' configurations and manifests, with an index when the base has one or there are several, under
     * every tag; returns the digest the tags name.
     */
    String documents(BaseImage image, List<SystemImage.Built> built, List<String> tags) throws IOException {
        boolean single = built.size() == 1 && built.get(0).baseEntry() == null;
        for (SystemImage.Built platform : built) {
            manifest(platform, platform.manifestDigest());
        }
        RegistryRepository.Document top = single ? built.get(0).manifest() : SystemImage.index(image.top(), built);
        for (String tag : tags) {
            target.putManifest(tag, top);
        }
        return RegistryRepository.digest(top.bytes());
    }

    /** The base's layers of this platform, for the manifest that names them. */
    void baseLayers(BaseImage.Platform platform) throws IOException {
        JsonNode manifest = JSON.readTree(platform.manifest().bytes());
        for (JsonNode layer : manifest.path("layers")) {
            String digest = layer.path("digest").asText();
            if (target.hasBlob(digest) || sameRegistry && target.mount(digest, baseRepository)) {
                continue;
            }
            Path copy = Files.createTempFile(scratch, "base-layer-", ".blob");
            try {
                base.download(digest, copy);
                target.upload(digest, Upload.of(copy, sent -> {}));
            } finally {
                Files.deleteIfExists(copy);
            }
        }
    }

    /** Whether the repository already had the packages' layer. */
    boolean layer(LayerBlob layer) throws IOException {
        if (target.hasBlob(layer.digest())) {
            return true;
        }
        target.upload(layer.digest(), Upload.of(layer.file(), sent -> {}));
        return false;
    }

    /** The configuration and the manifest, under {@code reference}: a tag, or the manifest's digest. */
    private void manifest(SystemImage.Built built, String reference) throws IOException {
        String configDigest = RegistryRepository.digest(built.config().bytes());
        if (!target.hasBlob(configDigest)) {
            target.upload(configDigest, Upload.of(built.config().mediaType(), built.config().bytes()));
        }
        target.putManifest(reference, built.manifest());
    }
}
