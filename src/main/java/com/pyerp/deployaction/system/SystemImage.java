package com.pyerp.deployaction.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pyerp.deployaction.registry.RegistryRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The documents of the system image: the base's configuration and manifest with the packages' layer on top, and
 * for several platforms an index of them. Everything else in the base's documents is kept as it is.
 */
final class SystemImage {

    static final String CREATED_BY = "pyerp-deploy-action system-packages";
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    private static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A platform's new documents; {@code manifestDigest} names it in an index and in the registry. */
    record Built(JsonNode baseEntry, RegistryRepository.Document config, RegistryRepository.Document manifest) {

        String manifestDigest() {
            return RegistryRepository.digest(manifest.bytes());
        }
    }

    private SystemImage() {}

    /** @param comment the history entry's comment: what the layer holds, read back when the image is reused */
    static Built build(BaseImage.Platform base, LayerBlob layer, String comment) {
        ObjectNode config = object(base.config());
        ((ArrayNode) config.with("rootfs").withArray("diff_ids")).add(layer.diffId());
        config.withArray("history").addObject().put("created", "1970-01-01T00:00:00Z").put("created_by", CREATED_BY)
                .put("comment", comment);
        byte[] configBytes = bytes(config);

        ObjectNode manifest = object(base.manifest().bytes());
        boolean oci = OCI_MANIFEST.equals(manifest.path("mediaType").asText(base.manifest().mediaType()));
        ObjectNode configDescriptor = manifest.with("config");
        configDescriptor.put("digest", RegistryRepository.digest(configBytes)).put("size", configBytes.length);
        manifest.withArray("layers").addObject()
                .put("mediaType", oci ? "application/vnd.oci.image.layer.v1.tar+gzip"
                        : "application/vnd.docker.image.rootfs.diff.tar.gzip")
                .put("size", layer.size()).put("digest", layer.digest());
        String manifestType = manifest.path("mediaType").asText(base.manifest().mediaType());
        return new Built(base.entry(), new RegistryRepository.Document("application/octet-stream",
                configBytes), new RegistryRepository.Document(manifestType, bytes(manifest)));
    }

    /** The base's index with only the built platforms, each now the system image's manifest. */
    static RegistryRepository.Document index(RegistryRepository.Document baseIndex, List<Built> platforms) {
        ObjectNode index = object(baseIndex.bytes());
        ArrayNode manifests = index.putArray("manifests");
        for (Built built : platforms) {
            ObjectNode entry = built.baseEntry().deepCopy();
            entry.put("digest", built.manifestDigest()).put("size", built.manifest().bytes().length)
                    .put("mediaType", built.manifest().mediaType());
            manifests.add(entry);
        }
        String type = index.path("mediaType").asText(baseIndex.mediaType());
        return new RegistryRepository.Document(type.equals(DOCKER_LIST) ? DOCKER_LIST : OCI_INDEX, bytes(index));
    }

    private static ObjectNode object(byte[] json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException | ClassCastException e) {
            throw new IllegalArgumentException("the base image's JSON is not an object (" + e.getMessage() + ")", e);
        }
    }

    private static byte[] bytes(JsonNode json) {
        try {
            return JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
