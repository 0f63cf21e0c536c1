package com.pyerp.deployaction.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnownHostsTest {

    static final String ED25519 = "AAAAC3NzaC1lZDI1NTE5AAAAIGae1LSzQ1dLKnrdQUChQtmcDZjA+LRk1J9ic1bCIdLm";
    static final String ED25519_FINGERPRINT = "SHA256:v2OhqFDXEmI4jfyFPeMu0CeiDMCuyUABqJSEA51V0KU";
    static final String ECDSA = "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBO7w8jOfG2T1TseITn0kw13kYUxnjjeANp2f1EOWy"
            + "hg2QVNQ28xbwWebDs+K4z47LFfdS2PC7GfS0uhchLflLto=";
    /** ssh-keygen -H of "[example.com]:2222 ssh-ed25519 …" and "example.org ecdsa-sha2-nistp256 …". */
    static final String HASHED = "|1|swBBg1IJuiftV0mpBu8Zi92ldDI=|DObHa1Lo/ZZzvJBKKc2SgM6hdFI= ssh-ed25519 " + ED25519 + "\n"
            + "|1|daqIA7BK9VvL+DkZGJp7R2w5WBM=|FVym5bH/BUyA8nt1tdTa+3gxTgY= ecdsa-sha2-nistp256 " + ECDSA + "\n";

    static byte[] key(String base64) {
        return Base64.getDecoder().decode(base64);
    }

    @Test
    void nonStandardPortsAreLookedUpInBrackets() {
        KnownHosts hosts = KnownHosts.parse("[example.com]:2222 ssh-ed25519 " + ED25519 + " comment\n");
        assertTrue(hosts.accepts("example.com", 2222, key(ED25519)));
        assertFalse(hosts.accepts("example.com", 22, key(ED25519)));
        assertFalse(hosts.accepts("example.com", 2223, key(ED25519)));
        assertFalse(hosts.accepts("example.com", 2222, key(ECDSA)));
    }

    @Test
    void port22IsLookedUpWithoutBrackets() {
        KnownHosts hosts = KnownHosts.parse("example.com,10.0.0.1 ssh-ed25519 " + ED25519);
        assertTrue(hosts.accepts("example.com", 22, key(ED25519)));
        assertTrue(hosts.accepts("EXAMPLE.com", 22, key(ED25519)));
        assertTrue(hosts.accepts("10.0.0.1", 22, key(ED25519)));
        assertFalse(hosts.accepts("example.com", 2222, key(ED25519)));
    }

    @Test
    void hashedHostsMatchOnlyTheirHostAndPort() {
        KnownHosts hosts = KnownHosts.parse(HASHED);
        assertTrue(hosts.accepts("example.com", 2222, key(ED25519)));
        assertTrue(hosts.accepts("example.org", 22, key(ECDSA)));
        assertFalse(hosts.accepts("example.com", 22, key(ED25519)));
        assertFalse(hosts.accepts("example.org", 22, key(ED25519)));
        assertFalse(hosts.accepts("example.net", 2222, key(ED25519)));
    }

    @Test
    void wildcardsAndNegation() {
        KnownHosts hosts = KnownHosts.parse("*.example.com,!bad.example.com,web?.example.net ssh-ed25519 " + ED25519);
        assertTrue(hosts.accepts("a.example.com", 22, key(ED25519)));
        assertFalse(hosts.accepts("bad.example.com", 22, key(ED25519)));
        assertTrue(hosts.accepts("web1.example.net", 22, key(ED25519)));
        assertFalse(hosts.accepts("web12.example.net", 22, key(ED25519)));
    }

    @Test
    void revokedKeysAreRefusedEvenWhenListed() {
        KnownHosts hosts = KnownHosts.parse("example.com ssh-ed25519 " + ED25519 + "\n@revoked * ssh-ed25519 " + ED25519);
        assertFalse(hosts.accepts("example.com", 22, key(ED25519)));
    }

    @Test
    void commentsBlankLinesCertAuthoritiesAndCrlfAreIgnored() {
        KnownHosts hosts = KnownHosts.parse("# keyscan\r\n\r\n@cert-authority *.example.com ssh-ed25519 " + ECDSA.substring(0, 8)
                + "\r\nexample.com ssh-ed25519 " + ED25519 + "\r\n");
        assertEquals(1, hosts.entries().size());
        assertTrue(hosts.accepts("example.com", 22, key(ED25519)));
    }

    @Test
    void rsaEntriesPreferTheSha2SignatureAlgorithms() {
        KnownHosts hosts = KnownHosts.parse("h ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAAQC7\nh ssh-ed25519 " + ED25519);
        assertEquals(List.of("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa", "ssh-ed25519"), hosts.algorithmsFor("h", 22));
        assertEquals(List.of(), hosts.algorithmsFor("other", 22));
    }

    @Test
    void malformedLinesAreNamed() {
        assertEquals("line 2 is not 'HOST KEY-TYPE BASE64-KEY' (as printed by ssh-keyscan)",
                assertThrows(IllegalArgumentException.class,
                        () -> KnownHosts.parse("# ok\nexample.com ssh-ed25519")).getMessage());
        assertEquals("line 1 has a key that is not base64", assertThrows(IllegalArgumentException.class,
                () -> KnownHosts.parse("example.com ssh-ed25519 not*base64")).getMessage());
        assertEquals("line 1 says 'ssh-rsa' but its key is of another type", assertThrows(IllegalArgumentException.class,
                () -> KnownHosts.parse("example.com ssh-rsa " + ED25519)).getMessage());
    }
}
