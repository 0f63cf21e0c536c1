package com.pyerp.deployaction.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.debian.ControlParagraph;
import com.pyerp.deployaction.imagefs.ImageSource;
import com.pyerp.deployaction.imagefs.TestLayers;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the layer is made against, read from a base's layers: Debian's status file, or distroless's status.d/. */
class BaseFilesTest {

    private static final String STATUS = "Package: libc6\nStatus: install ok installed\nVersion: 2.36-9+deb12u4\n"
            + "Architecture: amd64\n";

    @Test
    void aDebianBaseGivesItsStatusItsReleaseAndItsLinks() throws Exception {
        BaseFiles files = BaseFiles.read(image(new TestLayers().file("var/lib/dpkg/status", STATUS)
                .file("usr/lib/os-release", "ID=debian\nVERSION_CODENAME=bookworm\n")
                .symlink("etc/os-release", "../usr/lib/os-release").symlink("lib", "usr/lib").gzip()), line -> {});
        assertEquals(STATUS, files.dpkgStatus());
        assertEquals("bookworm", files.osRelease().codename());
        assertEquals(Map.of("lib", "usr/lib"), files.directoryLinks());
        assertEquals(List.of("libc6"), names(files.installed()));
    }

    @Test
    void aDistrolessBaseCountsItsStatusDirectoryAsInstalledAndLeavesItAlone() throws Exception {
        BaseFiles files = BaseFiles.read(image(new TestLayers()
                .file("var/lib/dpkg/status.d/libc6", STATUS)
                .file("var/lib/dpkg/status.d/libc6.md5sums", "0123  usr/lib/libc.so.6\n")
                .file("var/lib/dpkg/status.d/base", "Package: base-files\nStatus: install ok installed\nVersion: 12.4\n"
                        + "Architecture: amd64\n").gzip()), line -> {});
        assertEquals("", files.dpkgStatus(), "the layer's status file starts empty");
        assertEquals(List.of("base-files", "libc6"), names(files.installed()));
    }

    @Test
    void aBaseWithoutDpkgIsRefused() {
        ActionException e = assertThrows(ActionException.class, () -> BaseFiles.read(image(new TestLayers()
                .file("etc/alpine-release", "3.20\n").gzip()), line -> {}));
        assertEquals("System packages: base image without dpkg", e.title());
        assertTrue(e.getMessage().contains("has neither /var/lib/dpkg/status nor /var/lib/dpkg/status.d/"), e.getMessage());
    }

    private static List<String> names(String status) {
        return ControlParagraph.parseAll(status).stream().map(paragraph -> paragraph.get("Package")).toList();
    }

    /** One layer, served from memory. */
    private static ImageSource image(byte[] layer) {
        return new ImageSource() {
            @Override
            public String description() {
                return "test/base";
            }

            @Override
            public Manifest manifest() {
                return new Manifest(List.of(new Layer("sha256:layer", "sha256:layer", layer.length)), "linux/amd64");
            }

            @Override
            public InputStream openLayer(Layer ignored) {
                return new ByteArrayInputStream(layer);
            }
        };
    }
}
