package com.pyerp.deployaction.debian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArchiveKeyringTest {

    static final String RELEASE = """
            Origin: Debian
            Label: Debian-Security
            Suite: oldstable-security
            Codename: bookworm-security
            Date: Tue, 01 Dec 2026 19:40:00 UTC
            Valid-Until: Tue, 08 Dec 2026 19:40:00 UTC
            Architectures: amd64 arm64
            Components: updates/main
            SHA256:
             0d5a4bd6bd3ecd08bdc71c2bc4a55b7bb9b6ea4b0c0f9e8b6f3e6a1a9e6f4c21   780127 updates/main/binary-amd64/Packages
             5e1c1b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c   190234 updates/main/binary-amd64/Packages.xz
            """;

    private static final TestArchiveKey KEY = TestArchiveKey.generate();
    private static final ArchiveKeyring KEYRING = ArchiveKeyring.read(KEY.keyring());

    @Test
    void aClearSignedReleaseGivesItsText() throws Exception {
        String text = KEYRING.verifyClearSigned(KEY.clearSign(RELEASE));
        ReleaseFile release = ReleaseFile.parse(text);
        assertEquals("bookworm-security", release.codename());
        assertEquals(Optional.of(Instant.parse("2026-12-08T19:40:00Z")), release.validUntil());
        assertEquals(780127, release.sha256().get("updates/main/binary-amd64/Packages").size());
        assertEquals(2, release.sha256().size());
    }

    @Test
    void oneChangedByteBreaksTheSignature() {
        byte[] signed = KEY.clearSign(RELEASE);
        String text = new String(signed, StandardCharsets.UTF_8).replace("780127", "780128");
        ArchiveKeyring.BadSignature e = assertThrows(ArchiveKeyring.BadSignature.class,
                () -> KEYRING.verifyClearSigned(text.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().endsWith("does not match the signed text (the file was changed after it was signed)"),
                e.getMessage());
    }

    @Test
    void aSignatureByAKeyOutsideTheKeyringIsRefused() {
        TestArchiveKey stranger = TestArchiveKey.generate();
        ArchiveKeyring.BadSignature e = assertThrows(ArchiveKeyring.BadSignature.class,
                () -> KEYRING.verifyClearSigned(stranger.clearSign(RELEASE)));
        assertEquals(String.format("it is signed only by keys that are not in the keyring (%016X)", stranger.keyId()),
                e.getMessage());
    }

    @Test
    void anUnsignedFileIsRefused() {
        assertEquals("it is not a clear-signed OpenPGP message", assertThrows(ArchiveKeyring.BadSignature.class,
                () -> KEYRING.verifyClearSigned(RELEASE.getBytes(StandardCharsets.UTF_8))).getMessage());
    }

    @Test
    void aReleaseWithItsDetachedSignature() throws Exception {
        byte[] release = RELEASE.getBytes(StandardCharsets.UTF_8);
        KEYRING.verifyDetached(release, KEY.detachedSignature(release));
        byte[] changed = RELEASE.replace("bookworm", "trixie").getBytes(StandardCharsets.UTF_8);
        assertThrows(ArchiveKeyring.BadSignature.class, () -> KEYRING.verifyDetached(changed, KEY.detachedSignature(release)));
    }

    @Test
    void aKeyringMustHoldKeys() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ArchiveKeyring.read("not a key".getBytes(StandardCharsets.UTF_8))).getMessage()
                .startsWith("it "), "says what the bytes are not");
    }

    @Test
    void releaseDatesMayBeWrittenWithAnOffset() {
        assertEquals(Optional.of(Instant.parse("2026-07-11T10:16:37Z")), ReleaseFile.parse("Suite: x\nDate: Sat, 11 Jul 2026"
                + " 10:16:37 +0000\nSHA256:\n " + "a".repeat(64) + " 1 p\n").date());
    }

    @Test
    void releaseFilesNameWhatTheyCannotRead() {
        assertEquals("the SHA256 line 'abc 12 x' is not 'hash size path'", assertThrows(IllegalArgumentException.class,
                () -> ReleaseFile.parse("Suite: x\nSHA256:\n abc 12 x\n")).getMessage());
        assertEquals("Valid-Until 'tomorrow' is not a date such as 'Sat, 11 Jul 2026 09:36:06 UTC'",
                assertThrows(IllegalArgumentException.class, () -> ReleaseFile.parse("Suite: x\nValid-Until: tomorrow\n"
                        + "SHA256:\n " + "a".repeat(64) + " 1 p\n")).getMessage());
    }
}
