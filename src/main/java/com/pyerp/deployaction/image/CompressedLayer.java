package com.pyerp.deployaction.image;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.blob.BlobDescriptor;
import com.google.cloud.tools.jib.hash.CountingDigestOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * A layer as Jib's application-layer step writes it, its reproducible tar ({@link LayerTar}) through a default
 * GZIPOutputStream, so its bytes and digests are the ones Jib would push; kept in a scratch file until
 * {@link #delete}.
 */
record CompressedLayer(Path file, String digest, long size, String diffId) {

    static CompressedLayer of(FileEntriesLayer layer) {
        try {
            Path file = Files.createTempFile("pyerp-layer-", ".tar.gz");
            file.toFile().deleteOnExit();
            try (CountingDigestOutputStream compressed =
                            new CountingDigestOutputStream(new BufferedOutputStream(Files.newOutputStream(file)));
                    CountingDigestOutputStream uncompressed =
                            new CountingDigestOutputStream(new GZIPOutputStream(compressed))) {
                LayerTar.write(layer, uncompressed); // closes the streams, so the digests are complete
                BlobDescriptor descriptor = compressed.computeDigest();
                return new CompressedLayer(file, descriptor.getDigest().toString(), descriptor.getSize(),
                        uncompressed.computeDigest().getDigest().toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a scratch file, also deleted when the JVM exits
        }
    }
}
