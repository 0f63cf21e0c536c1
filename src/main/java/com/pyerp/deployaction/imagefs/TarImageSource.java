package com.pyerp.deployaction.imagefs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * An image tar as Jib's TarImage and {@code docker save} write it ({@code manifest.json}, config and layer files),
 * or an OCI image layout tar ({@code index.json}, {@code blobs/sha256/…}). Layers are read in place: each one is a
 * window onto the tar file, so several can be streamed at once.
 */
public final class TarImageSource implements ImageSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path tar;
    private final Map<String, TarArchiveEntry> entries = new HashMap<>();

    public TarImageSource(Path tar) throws IOException {
        this.tar = tar;
        try (TarFile file = new TarFile(tar, "UTF-8")) {
            for (TarArchiveEntry entry : file.getEntries()) {
                entries.put(LayerReader.normalize(entry.getName()), entry);
            }
        }
    }

    @Override
    public String description() {
        return tar.toString();
    }

    @Override
    public Manifest manifest() throws IOException {
        if (entries.containsKey("manifest.json")) {
            JsonNode manifest = read("manifest.json").get(0);
            JsonNode config = read(manifest.path("Config").asText());
            JsonNode diffIds = config.path("rootfs").path("diff_ids");
            List<Layer> layers = new ArrayList<>();
            JsonNode files = manifest.path("Layers");
            for (int i = 0; i < files.size(); i++) {
                String file = LayerReader.normalize(files.get(i).asText());
                layers.add(new Layer(file, diffIds.path(i).asText(file), size(file)));
            }
            return new Manifest(List.copyOf(layers), platform(config));
        }
        if (entries.containsKey("index.json")) {
            JsonNode index = read("index.json");
            JsonNode manifest = read(blob(index.path("manifests").get(0).path("digest").asText()));
            JsonNode config = read(blob(manifest.path("config").path("digest").asText()));
            JsonNode diffIds = config.path("rootfs").path("diff_ids");
            List<Layer> layers = new ArrayList<>();
            JsonNode descriptors = manifest.path("layers");
            for (int i = 0; i < descriptors.size(); i++) {
                String digest = descriptors.get(i).path("digest").asText();
                layers.add(new Layer(blob(digest), diffIds.path(i).asText(digest), size(blob(digest))));
            }
            return new Manifest(List.copyOf(layers), platform(config));
        }
        throw new IOException(tar + " has neither manifest.json (docker save) nor index.json (OCI layout)");
    }

    @Override
    public InputStream openLayer(Layer layer) throws IOException {
        TarArchiveEntry entry = entry(layer.digest());
        FileChannel channel = FileChannel.open(tar, StandardOpenOption.READ);
        channel.position(entry.getDataOffset());
        return BoundedInputStream.builder().setInputStream(Channels.newInputStream(channel))
                .setMaxCount(entry.getSize()).setPropagateClose(true).get();
    }

    static String platform(JsonNode config) {
        String os = config.path("os").asText("");
        String arch = config.path("architecture").asText("");
        return os.isEmpty() ? "" : os + "/" + arch;
    }

    private static String blob(String digest) {
        return "blobs/" + digest.replace(':', '/');
    }

    private long size(String name) throws IOException {
        return entry(name).getSize();
    }

    private TarArchiveEntry entry(String name) throws IOException {
        TarArchiveEntry entry = entries.get(name);
        if (entry == null) {
            throw new IOException(tar + " has no " + name);
        }
        return entry;
    }

    private JsonNode read(String name) throws IOException {
        try (InputStream in = openLayer(new Layer(name, name, 0))) {
            return JSON.readTree(in);
        }
    }
}
