package com.pyerp.deployaction.system;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/**
 * The layer tar gzip-compressed as a registry blob. Java's gzip header has no time or name in it, so the same tar
 * always gives the same blob, and so the same digest.
 *
 * @param digest of the compressed blob; {@code diffId} of the tar
 */
record LayerBlob(Path file, String digest, long size, String diffId) {

    static LayerBlob compress(Path tar, Path blob) throws IOException {
        MessageDigest uncompressed = SuiteIndexes.sha256Digest();
        MessageDigest compressed = SuiteIndexes.sha256Digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(tar), uncompressed);
                OutputStream out = new GZIPOutputStream(new DigestOutputStream(
                        new BufferedOutputStream(Files.newOutputStream(blob), 1 << 16), compressed), 1 << 16)) {
            in.transferTo(out);
        }
        return new LayerBlob(blob, "sha256:" + HexFormat.of().formatHex(compressed.digest()), Files.size(blob),
                "sha256:" + HexFormat.of().formatHex(uncompressed.digest()));
    }
}
