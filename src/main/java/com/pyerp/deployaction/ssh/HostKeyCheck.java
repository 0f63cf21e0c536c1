package com.pyerp.deployaction.ssh;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;

/**
 * sshj's view of a {@link HostKeyPolicy} for one connection attempt. It remembers the key it refused, for the
 * error message. {@code avoidTypes} steers the negotiation away from key types already refused, so that a
 * pinned fingerprint of, say, the server's RSA key is still found when the server prefers ed25519.
 */
final class HostKeyCheck implements HostKeyVerifier {

    /** Host key algorithms in sshj's default preference order. */
    static final List<String> ALGORITHMS = List.of("ssh-ed25519", "ecdsa-sha2-nistp521", "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp256", "rsa-sha2-512", "rsa-sha2-256");

    private final HostKeyPolicy policy;
    private final Set<String> avoidTypes;
    private volatile String refusedType;
    private volatile String refusedFingerprint;

    HostKeyCheck(HostKeyPolicy policy, Set<String> avoidTypes) {
        this.policy = policy;
        this.avoidTypes = avoidTypes;
    }

    @Override
    public boolean verify(String host, int port, PublicKey key) {
        byte[] wire = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
        if (policy.accepts(host, port, wire)) {
            return true;
        }
        refusedType = KeyType.fromKey(key).toString();
        refusedFingerprint = HostKeyPolicy.fingerprint(wire);
        return false;
    }

    @Override
    public List<String> findExistingAlgorithms(String host, int port) {
        List<String> known = policy.algorithmsFor(host, port);
        if (!known.isEmpty() || avoidTypes.isEmpty()) {
            return known;
        }
        List<String> others = new ArrayList<>();
        for (String algorithm : ALGORITHMS) {
            if (!avoidTypes.contains(keyTypeOf(algorithm))) {
                others.add(algorithm);
            }
        }
        return others;
    }

    /** The key type behind a host key algorithm name. */
    static String keyTypeOf(String algorithm) {
        return algorithm.startsWith("rsa-sha2-") ? "ssh-rsa" : algorithm;
    }

    String refusedType() {
        return refusedType;
    }

    String refusedFingerprint() {
        return refusedFingerprint;
    }
}
