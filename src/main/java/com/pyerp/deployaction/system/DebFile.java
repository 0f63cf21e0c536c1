package com.pyerp.deployaction.system;

import com.pyerp.deployaction.debian.ControlParagraph;
import io.airlift.compress.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.io.input.CloseShieldInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * A {@code .deb} (deb(5)): an ar archive of {@code debian-binary}, {@code control.tar.*} and {@code data.tar.*}.
 * The control member is read whole (it is small); the data member is handed over entry by entry.
 */
final class DebFile {

    /** The package's own control paragraph, and its other control files by name (md5sums, conffiles, postinst…). */
    record Control(ControlParagraph paragraph, Map<String, byte[]> files) {}

    /** Receives each entry of the data member, with its content stream for a regular file. */
    @FunctionalInterface
    interface DataEntries {
        void entry(TarArchiveEntry entry, InputStream content) throws IOException;
    }

    private DebFile() {}

    /** @throws IOException also for a file that is not a .deb, naming what is missing */
    static Control read(Path deb, DataEntries data) throws IOException {
        Control control = null;
        boolean dataSeen = false;
        try (ArArchiveInputStream ar = new ArArchiveInputStream(new BufferedInputStream(Files.newInputStream(deb), 1 << 16))) {
            for (ArArchiveEntry member = ar.getNextEntry(); member != null; member = ar.getNextEntry()) {
                String name = member.getName();
                if (name.startsWith("control.tar")) {
                    control = control(tar(name, ar));
                } else if (name.startsWith("data.tar")) {
                    TarArchiveInputStream tar = tar(name, ar);
                    for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                        data.entry(entry, tar);
                    }
                    dataSeen = true;
                }
            }
        }
        if (control == null || !dataSeen) {
            throw new IOException(deb.getFileName() + " is not a Debian package: it has no "
                    + (control == null ? "control" : "data") + " member");
        }
        return control;
    }

    private static Control control(TarArchiveInputStream tar) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
            if (entry.isFile()) {
                files.put(entry.getName().replaceFirst("^\\./", ""), tar.readAllBytes());
            }
        }
        byte[] control = files.remove("control");
        if (control == null) {
            throw new IOException("its control member has no control file");
        }
        List<ControlParagraph> paragraphs = ControlParagraph.parseAll(new String(control, StandardCharsets.UTF_8));
        if (paragraphs.size() != 1) {
            throw new IOException("its control file holds " + paragraphs.size() + " paragraphs, not one");
        }
        return new Control(paragraphs.get(0), files);
    }

    /** The member as a tar stream: xz (Debian's), zstd (Ubuntu's), gzip or none. */
    private static TarArchiveInputStream tar(String member, InputStream in) throws IOException {
        // The ar archive closes its own stream once all its members are read.
        InputStream raw = CloseShieldInputStream.wrap(in);
        InputStream decompressed = member.endsWith(".xz") ? new XZInputStream(raw)
                : member.endsWith(".zst") ? new ZstdInputStream(raw)
                : member.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16)
                : member.endsWith(".tar") ? raw : null;
        if (decompressed == null) {
            throw new IOException("its member " + member + " is compressed in a way dpkg itself does not write (xz,"
                    + " zstd, gzip or none)");
        }
        return new TarArchiveInputStream(decompressed);
    }
}
