package com.pyerp.deployaction.ssh;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which server host keys are trusted: the entries of known_hosts content and/or {@code SHA256:…} fingerprints
 * (as {@code ssh-keygen -lf} and {@code ssh-keyscan | ssh-keygen -lf -} print them). There is no "accept
 * anything" mode: a policy with neither refuses to be built for a connection ({@link #requireFor}).
 *
 * <p>A key is accepted when known_hosts lists it for the host (see {@link KnownHosts}) or when its SHA-256
 * fingerprint is one of the fingerprints. Fingerprints are not tied to a host, so with several hosts list
 * all their fingerprints. The check happens during the key exchange, before any authentication.
 */
public final class HostKeyPolicy {

    private static final Pattern SHA256 = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}=?");

    private final KnownHosts knownHosts;
    private final List<String> fingerprints;

    private HostKeyPolicy(KnownHosts knownHosts, List<String> fingerprints) {
        this.knownHosts = knownHosts;
        this.fingerprints = fingerprints;
    }

    /**
     * @param knownHostsContent known_hosts text, may be empty
     * @param fingerprints {@code SHA256:} fingerprints, may be empty
     * @throws IllegalArgumentException with a message naming the bad line or fingerprint
     */
    public static HostKeyPolicy of(String knownHostsContent, Collection<String> fingerprints) {
        KnownHosts knownHosts;
        try {
            knownHosts = KnownHosts.parse(knownHostsContent);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ssh-known-hosts: " + e.getMessage(), e);
        }
        List<String> normalized = new ArrayList<>();
        for (String fingerprint : fingerprints) {
            String value = fingerprint.strip();
            if (!SHA256.matcher(value).matches()) {
                throw new IllegalArgumentException("ssh-fingerprint: '" + value + "' is not a SHA-256 fingerprint such as"
                        + " SHA256:3KPRoc9NU3c/tA+fLCuERZmuwKLndIL3YNDoMY99PpQ (get it with ssh-keyscan -p PORT HOST |"
                        + " ssh-keygen -lf -)");
            }
            normalized.add(value.endsWith("=") ? value.substring(0, value.length() - 1) : value);
        }
        return new HostKeyPolicy(knownHosts, List.copyOf(normalized));
    }

    public boolean isEmpty() {
        return knownHosts.isEmpty() && fingerprints.isEmpty();
    }

    public boolean usesFingerprints() {
        return !fingerprints.isEmpty();
    }

    /**
     * This policy, or an {@link SshException} explaining how to get host keys when it trusts nothing.
     */
    public HostKeyPolicy requireFor(String host, int port) {
        if (isEmpty()) {
            throw new SshException("Host key not pinned", "There is no way to verify the host key of " + host + ":"
                    + port + ", so the action refuses to connect (a spoofed server would receive your deploy). Set"
                    + " 'ssh-known-hosts' to the output of `ssh-keyscan -p " + port + " " + host + "` (check it on"
                    + " the server with `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`), or set 'ssh-fingerprint'"
                    + " to its SHA256:… fingerprint.");
        }
        return this;
    }

    /** Whether the server key, in SSH wire format, is trusted for this host. */
    public boolean accepts(String host, int port, byte[] wireKey) {
        return knownHosts.accepts(host, port, wireKey) || fingerprints.contains(fingerprint(wireKey));
    }

    /** Host key algorithms to prefer for this host (from known_hosts), empty when any will do. */
    public List<String> algorithmsFor(String host, int port) {
        return knownHosts.algorithmsFor(host, port);
    }

    /** {@code SHA256:} and the unpadded base64 of the key's SHA-256, as OpenSSH prints it. */
    public static String fingerprint(byte[] wireKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(wireKey);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
