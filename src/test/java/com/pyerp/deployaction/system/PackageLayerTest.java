package com.pyerp.deployaction.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.debian.BinaryPackage;
import com.pyerp.deployaction.debian.ControlParagraph;
import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** A layer from two small packages built here, read back entry by entry. */
class PackageLayerTest {

    @TempDir
    Path directory;

    @Test
    void filesFollowTheBaseDirectoryLinksAndDpkgLearnsThePackages() throws IOException {
        Path libfoo = deb("libfoo", "Package: libfoo\nVersion: 1.0\nArchitecture: amd64\nMulti-Arch: same\n",
                Map.of("postinst", "#!/bin/sh\nldconfig\n", "md5sums", "abc  lib/x86_64-linux-gnu/libfoo.so.1\n"),
                List.of(dir("./"), dir("./lib/"), dir("./lib/x86_64-linux-gnu/"),
                        file("./lib/x86_64-linux-gnu/libfoo.so.1", "ELF", 0644),
                        link("./lib/x86_64-linux-gnu/libfoo.so", "libfoo.so.1")));
        Path tool = deb("foo-tool", "Package: foo-tool\nVersion: 2\nArchitecture: amd64\nDepends: libfoo\n",
                Map.of("conffiles", "/etc/foo.conf\n"),
                List.of(dir("./"), dir("./etc/"), file("./etc/foo.conf", "x=1\n", 0644), dir("./usr/"), dir("./usr/bin/"),
                        file("./usr/bin/foo", "#!/bin/sh\n", 0755)));
        String baseStatus = "Package: libc6\nStatus: install ok installed\nVersion: 2.36\nArchitecture: amd64\n";
        Files.createDirectories(directory.resolve("staging"));
        PackageLayer.Result result = PackageLayer.write(List.of(unpack(libfoo), unpack(tool)), baseStatus,
                Map.of("lib", "usr/lib"), directory.resolve("staging"), directory.resolve("layer.tar"));

        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        Map<String, String> contents = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(result.tar()))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                entries.put(entry.getName(), entry);
                contents.put(entry.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(List.copyOf(entries.keySet()).stream().sorted().toList(), List.copyOf(entries.keySet()),
                "entries are sorted");
        assertTrue(!entries.containsKey("lib/"), "the base's lib -> usr/lib link is kept: " + entries.keySet());
        assertEquals("libfoo.so.1", entries.get("usr/lib/x86_64-linux-gnu/libfoo.so").getLinkName());
        assertEquals(0755, entries.get("usr/bin/foo").getMode() & 07777);
        assertEquals(1000, entries.get("usr/bin/foo").getModTime().getTime());
        assertEquals("/.\n/lib\n/lib/x86_64-linux-gnu\n/lib/x86_64-linux-gnu/libfoo.so.1\n/lib/x86_64-linux-gnu/libfoo.so\n",
                contents.get("var/lib/dpkg/info/libfoo:amd64.list"), "dpkg lists the paths as the package has them");
        assertEquals("#!/bin/sh\nldconfig\n", contents.get("var/lib/dpkg/info/libfoo:amd64.postinst"));
        assertEquals("/etc/foo.conf\n", contents.get("var/lib/dpkg/info/foo-tool.conffiles"));
        List<ControlParagraph> status = ControlParagraph.parseAll(contents.get("var/lib/dpkg/status"));
        assertEquals(List.of("libc6", "libfoo", "foo-tool"), status.stream().map(p -> p.get("Package")).toList());
        assertEquals("install ok installed", status.get(2).get("Status"));
        assertEquals("/etc/foo.conf f968f33f844c98de1d3b4fe70f2e1a0f", status.get(2).get("Conffiles"));
        assertEquals(List.of("libfoo"), result.scripted(), "its postinst was not run");
    }

    @Test
    void ubuntusZstdMembersAreReadToo() throws IOException {
        Path zstd = deb("libzstd-user", "Package: libzstd-user\nVersion: 1\nArchitecture: amd64\n", Map.of(),
                List.of(dir("./"), dir("./usr/"), file("./usr/hello", "from a zstd member\n", 0644)), true);
        Files.createDirectories(directory.resolve("staging"));
        PackageLayer.Result result = PackageLayer.write(List.of(unpack(zstd)), "", Map.of(), directory.resolve("staging"),
                directory.resolve("layer.tar"));
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(result.tar()))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (entry.getName().equals("usr/hello")) {
                    assertEquals("from a zstd member\n", new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                    return;
                }
            }
        }
        throw new AssertionError("usr/hello is missing from the layer");
    }

    @Test
    void anEntryThatWouldLeaveTheRootOrWriteDpkgsDatabaseIsRefused() throws IOException {
        for (String name : List.of("./../etc/shadow", "./var/lib/dpkg/status", "/etc/passwd")) {
            Path evil = deb("evil", "Package: evil\nVersion: 1\nArchitecture: amd64\n", Map.of(),
                    List.of(dir("./"), file(name, "x", 0644)));
            Path staging = Files.createDirectories(directory.resolve("staging-" + Math.abs(name.hashCode())));
            IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> PackageLayer.write(
                    List.of(unpack(evil)), "", Map.of(), staging, directory.resolve("evil.tar")));
            assertTrue(e.getMessage().endsWith("has the entry '" + name + "', which dpkg would refuse to unpack"),
                    e.getMessage());
        }
    }

    private PackageLayer.Unpack unpack(Path deb) {
        return new PackageLayer.Unpack(BinaryPackage.of(ControlParagraph.parseAll("Package: x\nVersion: 1\n").get(0), "t"),
                deb);
    }

    private record Item(String name, byte type, String content, String link, int mode) {}

    private static Item dir(String name) {
        return new Item(name, TarConstants.LF_DIR, null, null, 0755);
    }

    private static Item file(String name, String content, int mode) {
        return new Item(name, TarConstants.LF_NORMAL, content, null, mode);
    }

    private static Item link(String name, String target) {
        return new Item(name, TarConstants.LF_SYMLINK, null, target, 0777);
    }

    /** A .deb as dpkg-deb builds it: debian-binary, control.tar.gz, data.tar.xz. */
    private Path deb(String name, String control, Map<String, String> controlFiles, List<Item> data) throws IOException {
        return deb(name, control, controlFiles, data, false);
    }

    /** @param zstd data.tar.zst, as Ubuntu's packages have it, instead of data.tar.xz */
    private Path deb(String name, String control, Map<String, String> controlFiles, List<Item> data, boolean zstd)
            throws IOException {
        Map<String, String> files = new LinkedHashMap<>(controlFiles);
        files.put("control", control);
        ByteArrayOutputStream controlTar = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(controlTar))) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                put(tar, new Item("./" + file.getKey(), TarConstants.LF_NORMAL, file.getValue(), null, 0644));
            }
        }
        ByteArrayOutputStream dataTar = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(zstd ? new ZstdOutputStream(dataTar)
                : new XZOutputStream(dataTar, new LZMA2Options()))) {
            for (Item item : data) {
                put(tar, item);
            }
        }
        Path deb = directory.resolve(name + ".deb");
        try (ArArchiveOutputStream ar = new ArArchiveOutputStream(Files.newOutputStream(deb))) {
            member(ar, "debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
            member(ar, "control.tar.gz", controlTar.toByteArray());
            member(ar, zstd ? "data.tar.zst" : "data.tar.xz", dataTar.toByteArray());
        }
        return deb;
    }

    private static void put(TarArchiveOutputStream tar, Item item) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(item.name(), item.type(), true);
        entry.setMode(item.mode());
        if (item.link() != null) {
            entry.setLinkName(item.link());
        }
        byte[] bytes = item.content() == null ? new byte[0] : item.content().getBytes(StandardCharsets.UTF_8);
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    private static void member(ArArchiveOutputStream ar, String name, byte[] bytes) throws IOException {
        ar.putArchiveEntry(new ArArchiveEntry(name, bytes.length));
        ar.write(bytes);
        ar.closeArchiveEntry();
    }
}
