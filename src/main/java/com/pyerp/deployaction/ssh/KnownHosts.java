package com.pyerp.deployaction.ssh;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The content of an OpenSSH known_hosts file, parsed and matched without touching the network: plain host
 * patterns ({@code host}, {@code [host]:port}, {@code *} and {@code ?} wildcards, {@code !negation}), hashed
 * hosts ({@code |1|salt|hash}, as written by {@code ssh-keyscan -H} or {@code ssh-keygen -H}) and the
 * {@code @revoked} marker. {@code @cert-authority} lines are skipped: host certificates are not supported.
 *
 * <p>As in OpenSSH, a host on port 22 is looked up as {@code host} and on any other port as
 * {@code [host]:port}.
 */
public final class KnownHosts {

    /** One usable line. {@code key} is the public key in SSH wire format. */
    public record Entry(boolean revoked, List<String> patterns, String hashed, String keyType, byte[] key) {}

    private final List<Entry> entries;

    private KnownHosts(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Parses known_hosts content. Blank lines and {@code #} comments are ignored.
     *
     * @throws IllegalArgumentException naming the line that is not a known_hosts entry
     */
    public static KnownHosts parse(String content) {
        List<Entry> entries = new ArrayList<>();
        String[] lines = content.replace("\r", "").split("\n");
        for (int number = 1; number <= lines.length; number++) {
            String line = lines[number - 1].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<String> fields = new ArrayList<>(Arrays.asList(line.split("\\s+")));
            String marker = fields.get(0).startsWith("@") ? fields.remove(0) : "";
            if (marker.equals("@cert-authority")) {
                continue;
            }
            if (!marker.isEmpty() && !marker.equals("@revoked")) {
                throw new IllegalArgumentException("line " + number + " has the unknown marker '" + marker + "'");
            }
            if (fields.size() < 3) {
                throw new IllegalArgumentException("line " + number + " is not 'HOST KEY-TYPE BASE64-KEY' (as printed by"
                        + " ssh-keyscan)");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(fields.get(2));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + number + " has a key that is not base64");
            }
            if (!fields.get(1).equals(wireKeyType(key))) {
                throw new IllegalArgumentException("line " + number + " says '" + fields.get(1)
                        + "' but its key is of another type");
            }
            String hosts = fields.get(0);
            if (hosts.startsWith("|1|")) {
                String[] parts = hosts.split("\\|");
                if (parts.length != 4) {
                    throw new IllegalArgumentException("line " + number + " has a malformed hashed host");
                }
                entries.add(new Entry(!marker.isEmpty(), List.of(), hosts, fields.get(1), key));
            } else {
                entries.add(new Entry(!marker.isEmpty(), List.of(hosts.split(",")), "", fields.get(1), key));
            }
        }
        return new KnownHosts(entries);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The name OpenSSH looks up: {@code host} on port 22, {@code [host]:port} otherwise. */
    public static String lookupName(String host, int port) {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    /** Whether {@code key} (SSH wire format) is listed for this host and not revoked. */
    public boolean accepts(String host, int port, byte[] key) {
        boolean revoked = entries.stream().anyMatch(entry -> entry.revoked() && Arrays.equals(entry.key(), key));
        return !revoked && forHost(host, port).stream().anyMatch(entry -> Arrays.equals(entry.key(), key));
    }

    /** The non-revoked entries for this host, in file order. */
    public List<Entry> forHost(String host, int port) {
        String name = lookupName(host, port);
        return entries.stream().filter(entry -> !entry.revoked() && matches(entry, name)).toList();
    }

    /**
     * The host key algorithms to offer first for this host, so that the server presents a key type that is
     * listed. An {@code ssh-rsa} entry maps to the SHA-2 signature algorithms that current servers use.
     */
    public List<String> algorithmsFor(String host, int port) {
        Set<String> algorithms = new LinkedHashSet<>();
        for (Entry entry : forHost(host, port)) {
            if (entry.keyType().equals("ssh-rsa")) {
                algorithms.addAll(List.of("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"));
            } else {
                algorithms.add(entry.keyType());
            }
        }
        return List.copyOf(algorithms);
    }

    private static boolean matches(Entry entry, String name) {
        if (!entry.hashed().isEmpty()) {
            return hashedMatches(entry.hashed(), name);
        }
        boolean matched = false;
        for (String pattern : entry.patterns()) {
            boolean negated = pattern.startsWith("!");
            if (wildcardMatches(negated ? pattern.substring(1) : pattern, name)) {
                if (negated) {
                    return false;
                }
                matched = true;
            }
        }
        return matched;
    }

    static boolean hashedMatches(String hashed, String name) {
        String[] parts = hashed.split("\\|");
        try {
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            return MessageDigest.isEqual(expected, mac.doFinal(name.getBytes(StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }

    /** OpenSSH's pattern rules: case-insensitive, {@code *} any run, {@code ?} one character. */
    static boolean wildcardMatches(String pattern, String name) {
        return wildcard(pattern.toLowerCase(Locale.ROOT), 0, name.toLowerCase(Locale.ROOT), 0);
    }

    private static boolean wildcard(String pattern, int p, String name, int n) {
        while (p < pattern.length()) {
            char c = pattern.charAt(p);
            if (c == '*') {
                for (int rest = n; rest <= name.length(); rest++) {
                    if (wildcard(pattern, p + 1, name, rest)) {
                        return true;
                    }
                }
                return false;
            }
            if (n >= name.length() || c != '?' && c != name.charAt(n)) {
                return false;
            }
            p++;
            n++;
        }
        return n == name.length();
    }

    /** The type name a wire-format public key starts with, or "" if it has none. */
    static String wireKeyType(byte[] key) {
        if (key.length < 4) {
            return "";
        }
        int length = ((key[0] & 0xff) << 24) | ((key[1] & 0xff) << 16) | ((key[2] & 0xff) << 8) | (key[3] & 0xff);
        return length > 0 && length <= key.length - 4 ? new String(key, 4, length, StandardCharsets.US_ASCII) : "";
    }
}
