package com.pyerp.deployaction.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.debian.BinaryPackage;
import com.pyerp.deployaction.debian.ControlParagraph;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.codec.digest.DigestUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebDownloadsTest {

    private static final byte[] DEB = "!<arch>\nnot really a package".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path cache;

    private final List<String> requests = new ArrayList<>();

    private static BinaryPackage candidate(String sha256) {
        return BinaryPackage.of(ControlParagraph.parseAll("Package: libfoo\nVersion: 1\nArchitecture: amd64\n"
                + "Filename: pool/main/f/foo/libfoo_1_amd64.deb\nSize: " + DEB.length + "\nSHA256: " + sha256 + "\n").get(0),
                "http://127.0.0.1:1/debian/dists/bookworm/main/binary-amd64/Packages");
    }

    private DebDownloads downloads(byte[] served) {
        return new DebDownloads(uri -> {
            requests.add(uri.toString());
            return Optional.of(served);
        }, cache);
    }

    @Test
    void aVerifiedPackageIsKeptByItsHashAndNotFetchedAgain() throws Exception {
        BinaryPackage libfoo = candidate(DigestUtils.sha256Hex(DEB));
        Path deb = downloads(DEB).fetch(libfoo);
        assertArrayEquals(DEB, Files.readAllBytes(deb));
        assertEquals(deb, downloads(DEB).fetch(libfoo));
        assertEquals(List.of("http://127.0.0.1:1/debian/pool/main/f/foo/libfoo_1_amd64.deb"), requests);
    }

    @Test
    void aCachedPackageThatNoLongerMatchesIsFetchedAgain() throws Exception {
        BinaryPackage libfoo = candidate(DigestUtils.sha256Hex(DEB));
        Path deb = downloads(DEB).fetch(libfoo);
        Files.writeString(deb, "poisoned");
        assertArrayEquals(DEB, Files.readAllBytes(downloads(DEB).fetch(libfoo)));
        assertEquals(2, requests.size());
    }

    @Test
    void anIndexEntryWithAPathOutOfTheArchiveIsRefused() {
        BinaryPackage escaping = BinaryPackage.of(ControlParagraph.parseAll("Package: libfoo\nVersion: 1\n"
                + "Architecture: amd64\nFilename: ../../etc/passwd\nSHA256: " + "a".repeat(64) + "\n").get(0), "index");
        assertTrue(assertThrows(ActionException.class, () -> downloads(DEB).fetch(escaping)).getMessage()
                .endsWith("with the SHA256 '" + "a".repeat(64) + "' and the Filename '../../etc/passwd', which the action"
                        + " does not download."));
        assertEquals(List.of(), requests);
    }

    @Test
    void aPackageThatDoesNotMatchItsIndexIsRefusedAndNotKept() throws Exception {
        BinaryPackage libfoo = candidate("0".repeat(64));
        ActionException e = assertThrows(ActionException.class, () -> downloads(DEB).fetch(libfoo));
        assertEquals(SuiteIndexes.TITLE, e.title());
        assertEquals("http://127.0.0.1:1/debian/pool/main/f/foo/libfoo_1_amd64.deb: " + DEB.length + " bytes with SHA256 "
                + DigestUtils.sha256Hex(DEB) + ", but its index lists " + DEB.length + " bytes with SHA256 " + "0".repeat(64)
                + ". The package was changed on the mirror; nothing was built.", e.getMessage());
        try (var left = Files.list(cache)) {
            assertTrue(left.findAny().isEmpty(), "no partial or unverified file is left");
        }
    }
}
