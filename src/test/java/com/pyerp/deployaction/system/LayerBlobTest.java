package com.pyerp.deployaction.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The blockwise gzip: what any gzip reader gets back, with the digests of both forms, and the same bytes each time. */
class LayerBlobTest {

    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 1 << 20, (1 << 20) + 1, 5 * (1 << 20) + 12345})
    void anyGzipReaderGetsTheTarBackAndTheBlobIsAlwaysTheSame(int size) throws Exception {
        byte[] tar = new byte[size];
        Random random = new Random(size);
        for (int index = 0; index < size; index++) {
            // compressible, with repeats across block boundaries for the dictionary to find
            tar[index] = (byte) (index % 4096 < 2048 ? random.nextInt(16) : "layer".charAt(index % 5));
        }
        Path file = Files.write(directory.resolve("layer.tar"), tar);
        LayerBlob blob = LayerBlob.compress(file, directory.resolve("layer.tar.gz"));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(blob.file()))) {
            assertArrayEquals(tar, in.readAllBytes());
        }
        byte[] compressed = Files.readAllBytes(blob.file());
        assertEquals(blob.size(), compressed.length);
        assertEquals("sha256:" + sha256(compressed), blob.digest());
        assertEquals("sha256:" + sha256(tar), blob.diffId());
        LayerBlob again = LayerBlob.compress(file, directory.resolve("again.tar.gz"));
        assertArrayEquals(compressed, Files.readAllBytes(again.file()));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
