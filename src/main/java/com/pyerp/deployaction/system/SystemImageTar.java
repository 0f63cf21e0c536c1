package com.pyerp.deployaction.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pyerp.deployaction.registry.RegistryRepository;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The system image as a {@code docker load}-able tar, for a build that does not push: the base's layer blobs as
 * the registry serves them (so their digests stay), the packages' layer, the configuration and Docker's
 * {@code manifest.json}, the form Jib reads a base image from.
 */
final class SystemImageTar {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAME = "pyerp-deploy-action/system:local";

    private SystemImageTar() {}

    static void write(Path tar, RegistryRepository base, BaseImage.Platform platform, LayerBlob layer,
            SystemImage.Built built) throws IOException {
        List<String> names = new ArrayList<>();
        try (OutputStream file = Files.newOutputStream(tar);
                TarArchiveOutputStream out = new TarArchiveOutputStream(file)) {
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (JsonNode descriptor : JSON.readTree(platform.manifest().bytes()).path("layers")) {
                String digest = descriptor.path("digest").asText();
                String name = digest.substring("sha256:".length()) + ".tar.gz";
                TarArchiveEntry entry = new TarArchiveEntry(name);
                entry.setSize(descriptor.path("size").asLong());
                out.putArchiveEntry(entry);
                base.copyBlob(digest, blob -> blob.transferTo(out));
                out.closeArchiveEntry();
                names.add(name);
            }
            String name = layer.digest().substring("sha256:".length()) + ".tar.gz";
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(layer.size());
            out.putArchiveEntry(entry);
            Files.copy(layer.file(), out);
            out.closeArchiveEntry();
            names.add(name);
            add(out, "config.json", built.config().bytes());
            add(out, "manifest.json", manifest(names));
        }
    }

    private static byte[] manifest(List<String> layers) throws IOException {
        ObjectNode entry = JSON.createObjectNode().put("Config", "config.json");
        entry.putArray("RepoTags").add(NAME);
        ArrayNode names = entry.putArray("Layers");
        layers.forEach(names::add);
        return JSON.writeValueAsString(List.of(entry)).getBytes(StandardCharsets.UTF_8);
    }

    private static void add(TarArchiveOutputStream out, String name, byte[] bytes) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        out.putArchiveEntry(entry);
        out.write(bytes);
        out.closeArchiveEntry();
    }
}
