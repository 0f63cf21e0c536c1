package com.pyerp.deployaction.imagefs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** gzip-compressed layer tars written entry by entry, in the order given. */
public final class TestLayers {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;

    public TestLayers() {
        this(TarArchiveOutputStream.LONGFILE_POSIX);
    }

    /** {@code longFileMode}: how names over 100 bytes are written, as PAX records or as GNU long-name entries. */
    public TestLayers(int longFileMode) {
        try {
            tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes));
            tar.setLongFileMode(longFileMode);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public TestLayers file(String path, String content) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(path);
        entry.setSize(data.length);
        return put(entry, data);
    }

    public TestLayers directory(String path) {
        return put(new TarArchiveEntry(path.endsWith("/") ? path : path + "/"), new byte[0]);
    }

    public TestLayers symlink(String path, String target) {
        TarArchiveEntry entry = new TarArchiveEntry(path, TarConstants.LF_SYMLINK);
        entry.setLinkName(target);
        return put(entry, new byte[0]);
    }

    /** An empty {@code .wh.<name>} file. */
    public TestLayers whiteout(String path) {
        int slash = path.lastIndexOf('/');
        return file(path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1), "");
    }

    public TestLayers opaque(String directory) {
        return file(directory + "/.wh..wh..opq", "");
    }

    public byte[] gzip() {
        try {
            tar.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private TestLayers put(TarArchiveEntry entry, byte[] data) {
        try {
            tar.putArchiveEntry(entry);
            tar.write(data);
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public static String metadata(String name, String version) {
        return "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\nSummary: test\n\nLong description.\n";
    }
}
