package com.pyerp.deployaction.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Keys as ssh-keygen writes them, loaded from their text on the JDK's providers alone (no BouncyCastle). */
class SshKeyTest {

    static final String PASSPHRASE = "correct horse battery";

    @TempDir
    Path directory;

    /** Runs ssh-keygen and returns the private key file's text. */
    static String keygen(Path directory, String type, String format, String passphrase) throws Exception {
        Path file = directory.resolve(type + "-" + format + (passphrase.isEmpty() ? "" : "-enc"));
        List<String> command = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", "test",
                "-f", file.toString()));
        if (!format.equals("openssh")) {
            command.addAll(List.of("-m", format));
        }
        if (type.equals("rsa")) {
            command.addAll(List.of("-b", "2048"));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertEquals(0, process.waitFor(), new String(process.getInputStream().readAllBytes()));
        return Files.readString(file);
    }

    @ParameterizedTest(name = "{0} {1} passphrase={2}")
    @CsvSource({
        "ed25519, openssh, false", "ed25519, openssh, true",
        "rsa, openssh, false", "rsa, openssh, true", "rsa, PEM, false", "rsa, PEM, true", "rsa, PKCS8, false", "rsa, PKCS8, true",
        "ecdsa, openssh, false", "ecdsa, openssh, true", "ecdsa, PEM, false", "ecdsa, PEM, true",
    })
    void loadsEveryCommonFormat(String type, String format, boolean encrypted) throws Exception {
        String text = keygen(directory, type, format, encrypted ? PASSPHRASE : "");
        SshKey key = SshKey.parse(text, encrypted ? PASSPHRASE : "");
        assertTrue(key.type().startsWith(type.equals("rsa") ? "ssh-rsa" : type.equals("ecdsa") ? "ecdsa-sha2" : "ssh-ed25519"),
                key.type());
        assertFalse(key.provider().getPrivate() == null);
    }

    @Test
    void pastedKeysWithCrlfAndNoTrailingNewlineLoad() throws Exception {
        String text = keygen(directory, "ed25519", "openssh", "");
        SshKey.parse("\n  " + text.strip().replace("\n", "\r\n"), "");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"openssh", "PEM", "PKCS8"})
    void aWrongPassphraseNamesThePassphraseInput(String format) throws Exception {
        String text = keygen(directory, "rsa", format, PASSPHRASE);
        SshException e = assertThrows(SshException.class, () -> SshKey.parse(text, "wrong"));
        assertEquals("Invalid input: ssh-key-passphrase", e.title());
        assertTrue(e.getMessage().contains("does not decrypt"), e.getMessage());
        assertFalse(e.getMessage().contains("wrong"), "never repeat the passphrase");
    }

    @Test
    void aMissingPassphraseSaysHowToFixIt() throws Exception {
        String text = keygen(directory, "ed25519", "openssh", PASSPHRASE);
        SshException e = assertThrows(SshException.class, () -> SshKey.parse(text, ""));
        assertEquals("Invalid input: ssh-key-passphrase", e.title());
        assertTrue(e.getMessage().contains("ssh-keygen -p -f KEY"), e.getMessage());
    }

    @Test
    void publicKeysAndGarbageAreRejectedWithoutEchoingThem() throws Exception {
        keygen(directory, "ed25519", "openssh", "");
        String pub = Files.readString(directory.resolve("ed25519-openssh.pub"));
        SshException publicKey = assertThrows(SshException.class, () -> SshKey.parse(pub, ""));
        assertEquals("Invalid input: ssh-key", publicKey.title());
        assertTrue(publicKey.getMessage().contains("public key"));
        SshException garbage = assertThrows(SshException.class, () -> SshKey.parse("hunter2", ""));
        assertTrue(garbage.getMessage().contains("is not a private key"));
        assertFalse(garbage.getMessage().contains("hunter2"));
        assertTrue(assertThrows(SshException.class, () -> SshKey.parse(" \n", "")).getMessage().contains("is empty"));
    }

    @Test
    void aTruncatedKeyIsReportedAsUnreadable() throws Exception {
        String text = keygen(directory, "ed25519", "openssh", "");
        String truncated = text.substring(0, 120) + "\n-----END OPENSSH PRIVATE KEY-----\n";
        SshException e = assertThrows(SshException.class, () -> SshKey.parse(truncated, ""));
        assertEquals("Invalid input: ssh-key", e.title());
        assertTrue(e.getMessage().contains("whole key was pasted"), e.getMessage());
    }
}
