package com.pyerp.deployaction.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.imagefs.LayerReader;
import com.pyerp.deployaction.imagefs.TestLayers;
import com.pyerp.deployaction.scan.inventory.Catalog;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A `docker load`-able image tar, scanned by ScanTar in a JVM without a UTF-8 locale, as a bare runner step has. */
class ScanTarTest {

    @TempDir
    Path dir;

    @Test
    void nonAsciiAndNonUtf8NamesDoNotStopTheScanInAnAsciiLocale() throws Exception {
        byte[] layer = new TestLayers()
                .file("etc/os-release", "ID=debian\nVERSION_ID=12\n")
                .file("var/lib/dpkg/status", "Package: tzdata\nStatus: install ok installed\nVersion: 2024a-0+deb12u1\n")
                .file("usr/share/doc/café/Ünïcödé.txt", "utf-8 name")
                .file("app/deps/six-1.16.0.dist-info/METADATA", TestLayers.metadata("six", "1.16.0"))
                .gzip();
        Path image = dir.resolve("image.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(image), "UTF-8")) {
            add(tar, "manifest.json", "[{\"Config\":\"config.json\",\"RepoTags\":[\"x:1\"],\"Layers\":[\"abc.tar.gz\"]}]"
                    .getBytes(StandardCharsets.UTF_8));
            add(tar, "config.json", ("{\"os\":\"linux\",\"architecture\":\"amd64\",\"rootfs\":{\"type\":\"layers\","
                    + "\"diff_ids\":[\"sha256:abc\"]}}").getBytes(StandardCharsets.UTF_8));
            add(tar, "abc.tar.gz", layer);
        }
        Process scan = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dfile.encoding=ANSI_X3.4-1968", "-Dsun.jnu.encoding=ANSI_X3.4-1968", "-cp",
                System.getProperty("java.class.path"), ScanTar.class.getName(), image.toString()))
                .redirectErrorStream(true).start();
        scan.getOutputStream().close();
        String output = new String(scan.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(scan.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, scan.exitValue(), output);
        assertTrue(output.contains("debian-12: 1 OS packages, 1 Python distributions"), output);
    }

    @Test
    void latin1NamesAreReadWithReplacementCharacters() throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new java.util.zip.GZIPOutputStream(bytes), "ISO-8859-1")) {
            add(tar, "usr/share/doc/caf\u00e9.txt", new byte[] {1});
            add(tar, "var/lib/dpkg/status", "Package: a\nVersion: 1\n".getBytes(StandardCharsets.UTF_8));
        }
        LayerReader.Content content = LayerReader.read("sha256:l", new java.io.ByteArrayInputStream(bytes.toByteArray()),
                Catalog::wanted);
        assertEquals(List.of("var/lib/dpkg/status"), content.changes().stream().map(LayerReader.Change::path).toList());
    }

    private static void add(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(data.length);
        tar.putArchiveEntry(entry);
        ((OutputStream) tar).write(data);
        tar.closeArchiveEntry();
    }
}
