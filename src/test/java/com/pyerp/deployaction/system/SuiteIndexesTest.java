package com.pyerp.deployaction.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.debian.AptSource;
import com.pyerp.deployaction.debian.ArchiveKeyring;
import com.pyerp.deployaction.debian.BinaryPackage;
import com.pyerp.deployaction.debian.TestArchiveKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.codec.digest.DigestUtils;
import org.junit.jupiter.api.Test;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** The trust chain from a signed Release down to each index, against an archive held in memory. */
class SuiteIndexesTest {

    private static final TestArchiveKey KEY = TestArchiveKey.generate();
    private static final ArchiveKeyring KEYRING = ArchiveKeyring.read(KEY.keyring());
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final AptSource SOURCE = AptSource.parse("deb http://127.0.0.1:1/debian bookworm main");
    private static final String PACKAGES = """
            Package: libmariadb3
            Version: 1:10.11.11-0+deb12u1
            Architecture: amd64
            Depends: mariadb-common, libc6 (>= 2.34)
            Filename: pool/main/m/mariadb/libmariadb3_10.11.11-0+deb12u1_amd64.deb
            Size: 176000
            SHA256: 0000000000000000000000000000000000000000000000000000000000000001

            Package: mariadb-common
            Version: 1:10.11.11-0+deb12u1
            Architecture: all
            """;

    /** The archive's files by path below the archive root. */
    private final Map<String, byte[]> files = new HashMap<>();
    private final SuiteIndexes.Http http = uri -> Optional.ofNullable(files.get(
            URI.create("http://127.0.0.1:1/debian/").relativize(uri).toString()));

    private void publish(String validUntil, Map<String, byte[]> indexes, Map<String, byte[]> listed) {
        StringBuilder release = new StringBuilder("Origin: Debian\nSuite: oldstable\nCodename: bookworm\n"
                + "Date: Thu, 03 Dec 2026 09:00:00 UTC\n" + (validUntil == null ? "" : "Valid-Until: " + validUntil + "\n")
                + "Architectures: amd64\nComponents: main\nSHA256:\n");
        listed.forEach((path, bytes) -> release.append(' ').append(DigestUtils.sha256Hex(bytes)).append(' ')
                .append(bytes.length).append(' ').append(path).append('\n'));
        files.put("dists/bookworm/InRelease", KEY.clearSign(release.toString()));
        indexes.forEach((path, bytes) -> files.put("dists/bookworm/" + path, bytes));
    }

    private void publish(byte[] index, String suffix) {
        publish(null, Map.of("main/binary-amd64/Packages" + suffix, index), Map.of("main/binary-amd64/Packages" + suffix, index));
    }

    private List<BinaryPackage> read() {
        return packages(new SuiteIndexes(KEYRING, http, NOW), List.of(SOURCE));
    }

    @Test
    void plainGzipAndXzIndexesAreReadOnceTheirHashesHold() throws IOException {
        byte[] plain = PACKAGES.getBytes(StandardCharsets.UTF_8);
        for (byte[] index : List.of(plain, gzip(plain), xz(plain))) {
            files.clear();
            publish(index, index == plain ? "" : index[0] == (byte) 0x1f ? ".gz" : ".xz");
            List<BinaryPackage> packages = read();
            assertEquals(List.of("libmariadb3:amd64=1:10.11.11-0+deb12u1", "mariadb-common:all=1:10.11.11-0+deb12u1"),
                    packages.stream().map(BinaryPackage::describe).toList());
            assertEquals("http://127.0.0.1:1/debian/dists/bookworm/main/binary-amd64/Packages", packages.get(0).origin());
            assertEquals("http://127.0.0.1:1/debian/pool/main/m/mariadb/libmariadb3_10.11.11-0+deb12u1_amd64.deb",
                    SuiteIndexes.debUri(packages.get(0)).toString());
        }
    }

    @Test
    void aMissingCompressedIndexFallsBackToTheNextListedOne() {
        byte[] plain = PACKAGES.getBytes(StandardCharsets.UTF_8);
        publish(null, Map.of("main/binary-amd64/Packages", plain),
                Map.of("main/binary-amd64/Packages.xz", "not served".getBytes(StandardCharsets.UTF_8),
                        "main/binary-amd64/Packages", plain));
        assertEquals(2, read().size());
    }

    @Test
    void anIndexThatDoesNotMatchItsHashIsRefused() {
        byte[] plain = PACKAGES.getBytes(StandardCharsets.UTF_8);
        publish(null, Map.of("main/binary-amd64/Packages", PACKAGES.replace("176000", "176001").getBytes(StandardCharsets.UTF_8)),
                Map.of("main/binary-amd64/Packages", plain));
        ActionException e = assertThrows(ActionException.class, this::read);
        assertEquals(SuiteIndexes.TITLE, e.title());
        assertTrue(e.getMessage().startsWith("http://127.0.0.1:1/debian/dists/bookworm/main/binary-amd64/Packages: "
                + plain.length + " bytes with SHA256 "), e.getMessage());
        assertTrue(e.getMessage().contains("but the Release file lists " + plain.length + " bytes with SHA256 "
                + DigestUtils.sha256Hex(plain)), e.getMessage());
    }

    @Test
    void aChangedByteInInReleaseIsABadSignature() {
        byte[] plain = PACKAGES.getBytes(StandardCharsets.UTF_8);
        publish(plain, "");
        byte[] signed = files.get("dists/bookworm/InRelease");
        files.put("dists/bookworm/InRelease", new String(signed, StandardCharsets.UTF_8).replace("Codename: bookworm",
                "Codename: bookwurm").getBytes(StandardCharsets.UTF_8));
        ActionException e = assertThrows(ActionException.class, this::read);
        assertTrue(e.getMessage().startsWith("http://127.0.0.1:1/debian/dists/bookworm/InRelease: the signature by key "),
                e.getMessage());
        assertTrue(e.getMessage().contains("does not match the signed text"), e.getMessage());
    }

    @Test
    void aSuiteSignedByAnUnknownKeyIsRefused() {
        publish(PACKAGES.getBytes(StandardCharsets.UTF_8), "");
        ArchiveKeyring other = ArchiveKeyring.read(TestArchiveKey.generate().keyring());
        ActionException e = assertThrows(ActionException.class,
                () -> packages(new SuiteIndexes(other, http, NOW), List.of(SOURCE)));
        assertTrue(e.getMessage().contains(String.format("it is signed only by keys that are not in the keyring (%016X)",
                KEY.keyId())), e.getMessage());
    }

    @Test
    void aSuitePastItsValidUntilIsRefused() {
        byte[] plain = PACKAGES.getBytes(StandardCharsets.UTF_8);
        publish("Wed, 02 Dec 2026 09:00:00 UTC", Map.of("main/binary-amd64/Packages", plain),
                Map.of("main/binary-amd64/Packages", plain));
        assertEquals("http://127.0.0.1:1/debian/dists/bookworm/InRelease was valid until 2026-12-02T09:00:00Z, which has"
                + " passed (it is now 2026-12-03T12:00:00Z): the mirror serves an outdated suite. Use a mirror that is up"
                + " to date.", assertThrows(ActionException.class, this::read).getMessage());
    }

    @Test
    void aReleaseWithADetachedSignatureServesToo() {
        byte[] plain = PACKAGES.getBytes(StandardCharsets.UTF_8);
        publish(plain, "");
        files.remove("dists/bookworm/InRelease");
        byte[] release = ("Suite: oldstable\nCodename: bookworm\nComponents: main\nSHA256:\n " + DigestUtils.sha256Hex(plain)
                + " " + plain.length + " main/binary-amd64/Packages\n").getBytes(StandardCharsets.UTF_8);
        files.put("dists/bookworm/Release", release);
        assertTrue(assertThrows(ActionException.class, this::read).getMessage().endsWith("is not signed (there is no"
                + " Release.gpg beside it); the action installs only from signed archives."));
        files.put("dists/bookworm/Release.gpg", KEY.detachedSignature(release));
        assertEquals(2, read().size());
    }

    @Test
    void aComponentTheReleaseDoesNotListIsNamed() {
        publish(PACKAGES.getBytes(StandardCharsets.UTF_8), "");
        ActionException e = assertThrows(ActionException.class, () -> packages(new SuiteIndexes(KEYRING, http, NOW),
                List.of(AptSource.parse("deb http://127.0.0.1:1/debian bookworm contrib"))));
        assertEquals("http://127.0.0.1:1/debian/dists/bookworm/InRelease lists no contrib/binary-amd64/Packages index:"
                + " check the components of 'deb http://127.0.0.1:1/debian/ bookworm contrib' in system-packages-sources,"
                + " and the platform's architecture.", e.getMessage());
    }

    @Test
    void aSuiteServedInPlaceOfAnotherIsRefused() {
        publish(PACKAGES.getBytes(StandardCharsets.UTF_8), "");
        files.put("dists/bookworm-security/InRelease", files.get("dists/bookworm/InRelease"));
        ActionException e = assertThrows(ActionException.class, () -> packages(new SuiteIndexes(KEYRING, http, NOW),
                List.of(AptSource.parse("deb http://127.0.0.1:1/debian bookworm-security main"))));
        assertEquals("http://127.0.0.1:1/debian/dists/bookworm-security/InRelease is signed for the suite 'oldstable'"
                + " (bookworm), not for 'bookworm-security': the mirror, or something between it and the runner, serves"
                + " another suite in its place.", e.getMessage());
    }

    @Test
    void anIndexLongerThanListedIsStoppedThere() {
        byte[] plain = PACKAGES.getBytes(StandardCharsets.UTF_8);
        byte[] longer = (PACKAGES + "\nPackage: extra\nVersion: 1\n").getBytes(StandardCharsets.UTF_8);
        publish(null, Map.of("main/binary-amd64/Packages", longer), Map.of("main/binary-amd64/Packages", plain));
        assertEquals("http://127.0.0.1:1/debian/dists/bookworm/main/binary-amd64/Packages: the mirror sends more than the "
                + plain.length + " bytes that the Release file lists. The mirror serves a file that was changed or is"
                + " mid-update; retry, or use another mirror.", assertThrows(ActionException.class, this::read).getMessage());
    }

    @Test
    void sourcesAreOneLineDebEntries() {
        assertEquals("http://deb.debian.org/debian/dists/bookworm-updates/",
                AptSource.parse("deb http://deb.debian.org/debian bookworm-updates main").suiteDirectory().toString());
        assertEquals("'deb-src http://x bookworm main' is not 'deb URL SUITE COMPONENT…', such as 'deb"
                + " http://deb.debian.org/debian bookworm main'", assertThrows(IllegalArgumentException.class,
                        () -> AptSource.parse("deb-src http://x bookworm main")).getMessage());
        assertEquals("'ftp://x' is not an http:// or https:// URL", assertThrows(IllegalArgumentException.class,
                () -> AptSource.parse("deb ftp://x bookworm main")).getMessage());
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    private static byte[] xz(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XZOutputStream xz = new XZOutputStream(out, new LZMA2Options())) {
            xz.write(bytes);
        }
        return out.toByteArray();
    }

    /** The amd64 packages of the sources, each suite's Release verified first, as the stage reads them. */
    private static List<BinaryPackage> packages(SuiteIndexes indexes, List<AptSource> sources) {
        return indexes.packagesOf(sources.stream().map(indexes::release).toList(), "amd64");
    }
}
