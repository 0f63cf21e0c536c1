package com.pyerp.deployaction.scan.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pyerp.deployaction.imagefs.ImageFiles;
import com.pyerp.deployaction.imagefs.LayerReader;
import com.pyerp.deployaction.imagefs.TestLayers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Layers folded bottom up with OCI whiteouts, and what the catalogers find in the result. */
class ImageFilesTest {

    private static final String SITE = "usr/lib/python3/dist-packages/";
    private static final String VENV = "opt/venv/lib/python3.11/site-packages/";
    private static final String STATUS = "Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\n"
            + "Source: openssl (3.0.11-1~deb12u1)\nVersion: 3.0.11-1~deb12u1+b1\nDescription: SSL\n continued line\n\n"
            + "Package: removed\nStatus: deinstall ok config-files\nVersion: 1.0\n\n"
            + "Package: base-files\nStatus: install ok installed\nArchitecture: amd64\nVersion: 12.4+deb12u5\n";

    private static LayerReader.Content read(String layer, TestLayers tar) throws IOException {
        return LayerReader.read(layer, new ByteArrayInputStream(tar.gzip()), Catalog::wanted);
    }

    private static List<String> names(Catalog.Result result) {
        return result.packages().stream().map(pkg -> pkg.type() + " " + pkg.name() + " " + pkg.version()).sorted().toList();
    }

    @Test
    void aDeletingLayerAndAnOpaqueDirectoryHideLowerFiles() throws IOException {
        LayerReader.Content base = read("sha256:base", new TestLayers()
                .directory("etc").symlink("etc/os-release", "../usr/lib/os-release")
                .file("usr/lib/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n"
                        + "VERSION_CODENAME=bookworm\n")
                .file("var/lib/dpkg/status", STATUS)
                .file(SITE + "six-1.16.0.dist-info/METADATA", TestLayers.metadata("six", "1.16.0"))
                .file(SITE + "Django-3.2.19.dist-info/METADATA", TestLayers.metadata("Django", "3.2.19"))
                .file(VENV + "old-1.0.dist-info/METADATA", TestLayers.metadata("old", "1.0"))
                .file("usr/share/doc/README", "not cataloged"));
        // The new file comes before the opaque marker in the tar: the marker still hides only lower layers.
        LayerReader.Content upper = read("sha256:upper", new TestLayers()
                .whiteout(SITE + "six-1.16.0.dist-info")
                .file(VENV + "new-2.0.dist-info/METADATA", TestLayers.metadata("new", "2.0"))
                .opaque("opt/venv")
                .file("usr/lib/python3/dist-packages/legacy.egg-info/PKG-INFO", TestLayers.metadata("legacy", "0.1"))
                .file("usr/lib/python3/dist-packages/pycparser-2.21.egg-info", TestLayers.metadata("pycparser", "2.21")));

        Catalog.Result result = Catalog.of(ImageFiles.fold(List.of(base, upper)));

        assertEquals("debian", result.os().id());
        assertEquals("12", result.os().versionId());
        assertEquals(List.of("DEB base-files 12.4+deb12u5", "DEB libssl3 3.0.11-1~deb12u1+b1", "PYPI Django 3.2.19",
                "PYPI legacy 0.1", "PYPI new 2.0", "PYPI pycparser 2.21"), names(result));
        Package libssl = result.packages().stream().filter(pkg -> pkg.name().equals("libssl3")).findFirst().orElseThrow();
        assertEquals("openssl", libssl.sourceName());
        assertEquals("3.0.11-1~deb12u1", libssl.sourceVersion());
        assertEquals("pkg:deb/debian/libssl3@3.0.11-1~deb12u1+b1?arch=amd64&distro=debian-12"
                + "&upstream=openssl%403.0.11-1~deb12u1", libssl.purl());
        assertEquals("sha256:base", libssl.layer());
        assertEquals("var/lib/dpkg/status", libssl.path());
        Package fresh = result.packages().stream().filter(pkg -> pkg.name().equals("new")).findFirst().orElseThrow();
        assertEquals("sha256:upper", fresh.layer());
        assertEquals("pkg:pypi/django@3.2.19", result.packages().stream().filter(pkg -> pkg.name().equals("Django"))
                .findFirst().orElseThrow().purl());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.LONGFILE_POSIX,
            org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.LONGFILE_GNU})
    void namesAndLinkTargetsLongerThanATarHeaderHolds(int longFileMode) throws IOException {
        String deep = "opt/" + "very-long-directory-name/".repeat(6) + "site-packages/";
        LayerReader.Content layer = read("sha256:a", new TestLayers(longFileMode)
                .file(deep + "requests-2.31.0.dist-info/METADATA", TestLayers.metadata("requests", "2.31.0"))
                .file("usr/lib/os-release", "ID=debian\nVERSION_ID=12\n")
                .symlink("etc/os-release", "../usr/lib/" + "./".repeat(60) + "os-release")
                .file("var/lib/dpkg/status", STATUS));

        Catalog.Result result = Catalog.of(ImageFiles.fold(List.of(layer)));

        assertEquals("12", result.os().versionId());
        assertEquals(deep + "requests-2.31.0.dist-info/METADATA", result.packages().stream()
                .filter(pkg -> pkg.name().equals("requests")).findFirst().orElseThrow().path());
        assertEquals(3, result.packages().size());
    }

    @Test
    void aWhiteoutOfTheWholeDatabaseRemovesEveryPackage() throws IOException {
        LayerReader.Content base = read("sha256:a", new TestLayers().file("var/lib/dpkg/status", STATUS));
        LayerReader.Content upper = read("sha256:b", new TestLayers().whiteout("var/lib/dpkg"));

        assertEquals(List.of(), names(Catalog.of(ImageFiles.fold(List.of(base, upper)))));
    }

    @Test
    void alpineAndDistrolessDatabases() throws IOException {
        LayerReader.Content layer = read("sha256:a", new TestLayers()
                .file("etc/os-release", "ID=alpine\nVERSION_ID=3.19.1\n")
                .file("lib/apk/db/installed", "C:Q1abc=\nP:libcrypto3\nV:3.1.4-r5\nA:x86_64\no:openssl\n\nP:musl\nV:1.2.4_git20230717-r4\n"
                        + "A:x86_64\no:musl\n")
                .file("var/lib/dpkg/status.d/tzdata", "Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n")
                .file("var/lib/dpkg/status.d/tzdata.md5sums", "abc  usr/share/zoneinfo/UTC\n"));

        Catalog.Result result = Catalog.of(ImageFiles.fold(List.of(layer)));

        assertEquals(List.of("APK libcrypto3 3.1.4-r5", "APK musl 1.2.4_git20230717-r4", "DEB tzdata 2024a-0+deb12u1"),
                names(result));
        Package crypto = result.packages().get(0);
        assertEquals("pkg:apk/alpine/libcrypto3@3.1.4-r5?arch=x86_64&distro=alpine-3.19.1&upstream=openssl", crypto.purl());
        assertEquals("Alpine:v3.19", crypto.osvEcosystem(result.os()));
    }
}
