package com.pyerp.deployaction.imagefs;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Streams one layer (gzip-compressed or plain tar) once, keeping only the files the caller wants and the whiteouts
 * that hide files of lower layers. Nothing is written to disk.
 */
public final class LayerReader {

    private static final int MAX_KEPT_FILE = 64 << 20;

    /** What one layer says, in its tar order. */
    public sealed interface Change permits File, Link, Whiteout, Opaque {
        String path();
    }

    /** A wanted file, with its content. */
    public record File(String path, byte[] content) implements Change {}

    /** A symbolic or hard link at a wanted path; {@code target} as written in the tar. */
    public record Link(String path, String target, boolean hard) implements Change {}

    /** {@code .wh.<name>}: {@code path} and everything under it is gone from the lower layers. */
    public record Whiteout(String path) implements Change {}

    /** {@code .wh..wh..opq}: the lower layers' content of directory {@code path} is hidden. */
    public record Opaque(String path) implements Change {}

    /** @param bytes the uncompressed size read */
    public record Content(String layer, List<Change> changes, long bytes) {}

    /** The layer is compressed in a way this reader cannot undo (zstd); the message names the layer. */
    public static final class UnsupportedCompression extends IOException {
        UnsupportedCompression(String message) {
            super(message);
        }
    }

    private LayerReader() {}

    /** {@code wanted} says, by normalized path, which files and links to keep. */
    public static Content read(String layer, InputStream raw, Predicate<String> wanted) throws IOException {
        return read(layer, raw, wanted, new AtomicLong());
    }

    /** {@code progress} is advanced by every uncompressed byte read, for progress lines while layers stream. */
    public static Content read(String layer, InputStream raw, Predicate<String> wanted, AtomicLong progress)
            throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(4);
        int first = buffered.read();
        int second = buffered.read();
        int third = buffered.read();
        int fourth = buffered.read();
        buffered.reset();
        InputStream tar;
        if (first == 0x1f && second == 0x8b) {
            tar = new GZIPInputStream(buffered, 1 << 16);
        } else if (first == 0x28 && second == 0xb5 && third == 0x2f && fourth == 0xfd) {
            throw new UnsupportedCompression("Layer " + layer + " is zstd-compressed");
        } else {
            tar = buffered;
        }
        List<Change> changes = new ArrayList<>();
        CountingStream counted = new CountingStream(tar, progress);
        try (counted) {
            TarStream.read(counted, (entry, data) -> keep(entry, LayerReader.normalize(entry.getName()), data, wanted,
                    changes));
            // Read to the end so the whole layer is checked and counted.
            counted.transferTo(OutputStream.nullOutputStream());
        }
        return new Content(layer, List.copyOf(changes), counted.count);
    }

    /** Records what the caller or the whiteout fold needs from one entry. */
    private static void keep(TarArchiveEntry entry, String path, InputStream data, Predicate<String> wanted,
            List<Change> changes) throws IOException {
        if (path.isEmpty()) {
            return;
        }
        int slash = path.lastIndexOf('/');
        String directory = slash < 0 ? "" : path.substring(0, slash);
        String base = path.substring(slash + 1);
        if (base.equals(".wh..wh..opq")) {
            changes.add(new Opaque(directory));
        } else if (base.startsWith(".wh.") && base.length() > 4) {
            changes.add(new Whiteout(directory.isEmpty() ? base.substring(4) : directory + "/" + base.substring(4)));
        } else if (wanted.test(path)) {
            if (entry.isSymbolicLink() || entry.isLink()) {
                changes.add(new Link(path, entry.getLinkName(), entry.isLink()));
            } else if (entry.isFile() && entry.getSize() <= MAX_KEPT_FILE) {
                changes.add(new File(path, data.readAllBytes()));
            }
        }
    }

    /** Tar names as {@code usr/lib/x}: no leading {@code ./} or {@code /}, no trailing slash. */
    static String normalize(String name) {
        String path = name;
        while (path.startsWith("./") || path.startsWith("/")) {
            path = path.substring(path.startsWith("./") ? 2 : 1);
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path.equals(".") ? "" : path;
    }

    private static final class CountingStream extends InputStream {
        private final InputStream in;
        private final AtomicLong progress;
        private long count;

        CountingStream(InputStream in, AtomicLong progress) {
            this.in = in;
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
                progress.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count += n;
                progress.addAndGet(n);
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
