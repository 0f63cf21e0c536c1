package com.pyerp.deployaction.ssh;

import static com.pyerp.deployaction.ssh.KnownHostsTest.ECDSA;
import static com.pyerp.deployaction.ssh.KnownHostsTest.ED25519;
import static com.pyerp.deployaction.ssh.KnownHostsTest.ED25519_FINGERPRINT;
import static com.pyerp.deployaction.ssh.KnownHostsTest.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HostKeyPolicyTest {

    @Test
    void fingerprintsAreComputedAsOpenSshPrintsThem() {
        assertEquals(ED25519_FINGERPRINT, HostKeyPolicy.fingerprint(key(ED25519)));
        assertEquals("SHA256:gSwcgA98vLSU7ChGOGnQGNiD54bF/6qeqZ2C4H1ZWSM", HostKeyPolicy.fingerprint(key(ECDSA)));
    }

    @Test
    void anyListedFingerprintIsAcceptedOnAnyHost() {
        HostKeyPolicy policy = HostKeyPolicy.of("", List.of("SHA256:gSwcgA98vLSU7ChGOGnQGNiD54bF/6qeqZ2C4H1ZWSM",
                " " + ED25519_FINGERPRINT + "= "));
        assertTrue(policy.accepts("a", 22, key(ED25519)));
        assertTrue(policy.accepts("b", 2222, key(ECDSA)));
        assertFalse(HostKeyPolicy.of("", List.of(ED25519_FINGERPRINT)).accepts("a", 22, key(ECDSA)));
    }

    @Test
    void knownHostsAndFingerprintsCombine() {
        HostKeyPolicy policy = HostKeyPolicy.of("example.org ecdsa-sha2-nistp256 " + ECDSA, List.of(ED25519_FINGERPRINT));
        assertTrue(policy.accepts("example.org", 22, key(ECDSA)));
        assertFalse(policy.accepts("example.net", 22, key(ECDSA)));
        assertTrue(policy.accepts("example.net", 22, key(ED25519)));
    }

    @Test
    void otherFingerprintFormsAreRejectedWithTheExpectedForm() {
        for (String bad : List.of("MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48", "SHA256:short", "v2OhqFDXEmI4")) {
            String message = assertThrows(IllegalArgumentException.class, () -> HostKeyPolicy.of("", List.of(bad))).getMessage();
            assertTrue(message.startsWith("ssh-fingerprint: '" + bad + "' is not a SHA-256 fingerprint"), message);
            assertTrue(message.contains("ssh-keyscan -p PORT HOST | ssh-keygen -lf -"), message);
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HostKeyPolicy.of("garbage", List.of()))
                .getMessage().startsWith("ssh-known-hosts: line 1"));
    }

    @Test
    void anEmptyPolicyRefusesAndSaysHowToGetTheHostKey() {
        HostKeyPolicy empty = HostKeyPolicy.of("\n# nothing\n", List.of());
        assertTrue(empty.isEmpty());
        SshException refusal = assertThrows(SshException.class, () -> empty.requireFor("example.com", 2222));
        assertEquals("Host key not pinned", refusal.title());
        assertTrue(refusal.getMessage().contains("`ssh-keyscan -p 2222 example.com`"), refusal.getMessage());
        assertFalse(refusal.retryable());
    }

    @Test
    void refusedKeyTypesSteerTheNegotiationToTheOthers() {
        HostKeyPolicy policy = HostKeyPolicy.of("", List.of(ED25519_FINGERPRINT));
        assertEquals(List.of(), new HostKeyCheck(policy, Set.of()).findExistingAlgorithms("h", 22));
        assertEquals(List.of("ecdsa-sha2-nistp521", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp256", "rsa-sha2-512",
                "rsa-sha2-256"), new HostKeyCheck(policy, Set.of("ssh-ed25519")).findExistingAlgorithms("h", 22));
    }
}
