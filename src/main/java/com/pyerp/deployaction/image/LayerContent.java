package com.pyerp.deployaction.image;

import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.pyerp.deployaction.action.LocalCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A digest of what layers hold: every entry's place, mode, owner and time in the image, and every file's bytes.
 * Equal digests mean equal layers, wherever and whenever the files were written, so a fresh runner can find
 * the layers a previous run pushed without compressing them again. Reading the bytes is the costly part; a
 * {@link LocalCache} keyed by the layers' fingerprints (sizes and modification times) skips it on a runner
 * that has seen the same files before.
 */
final class LayerContent {

    private static final int BUFFER = 1 << 20;
    private static final ThreadLocal<ByteBuffer> BUFFERS = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(BUFFER));

    private LayerContent() {}

    static String digest(List<LayerPlanner.Planned> layers, LocalCache cache) {
        MessageDigest fingerprints = LayerPlanner.sha256();
        layers.forEach(layer -> fingerprints.update((layer.fingerprint() + "\n").getBytes(StandardCharsets.US_ASCII)));
        String key = HexFormat.of().formatHex(fingerprints.digest());
        return cache.get("layer-content", key).orElseGet(() -> {
            String digest = read(layers);
            cache.put("layer-content", key, digest);
            return digest;
        });
    }

    private static String read(List<LayerPlanner.Planned> layers) {
        MessageDigest all = LayerPlanner.sha256();
        for (LayerPlanner.Planned layer : layers) {
            List<FileEntry> entries = layer.layer().getEntries();
            byte[][] contents = IntStream.range(0, entries.size()).parallel()
                    .mapToObj(index -> fileDigest(entries.get(index))).toArray(byte[][]::new);
            all.update(("layer " + layer.name() + "\n").getBytes(StandardCharsets.UTF_8));
            for (int index = 0; index < entries.size(); index++) {
                FileEntry entry = entries.get(index);
                all.update((entry.getExtractionPath() + "\0" + entry.getPermissions().toOctalString() + "\0"
                        + entry.getOwnership() + "\0" + entry.getModificationTime().toEpochMilli() + "\0")
                        .getBytes(StandardCharsets.UTF_8));
                all.update(contents[index]);
                all.update((byte) '\n');
            }
        }
        return HexFormat.of().formatHex(all.digest());
    }

    /** The file's SHA-256, or nothing for a directory. */
    private static byte[] fileDigest(FileEntry entry) {
        if (Files.isDirectory(entry.getSourceFile(), LinkOption.NOFOLLOW_LINKS)) {
            return new byte[0];
        }
        MessageDigest digest = LayerPlanner.sha256();
        ByteBuffer buffer = BUFFERS.get();
        try (FileChannel channel = FileChannel.open(entry.getSourceFile())) {
            while (channel.read(buffer.clear()) >= 0) {
                digest.update(buffer.flip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return digest.digest();
    }
}
