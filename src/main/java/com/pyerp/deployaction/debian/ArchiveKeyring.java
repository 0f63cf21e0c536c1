package com.pyerp.deployaction.debian;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.bouncycastle.util.Properties;

/**
 * The OpenPGP keys an archive's Release files must be signed with, and the check of a signed Release (an
 * {@code InRelease} file, or a {@code Release} with its detached {@code Release.gpg}), as apt does it: at least one
 * signature by a key of the keyring verifies, and none by such a key fails. Signatures by other keys, and by keys that
 * were revoked or had expired when they signed, are ignored; one that uses a weak hash fails.
 */
public final class ArchiveKeyring {

    private static final String UNSAFE_MODULUS_ALLOWED = "org.bouncycastle.rsa.allow_unsafe_mod";

    /** A signature that does not hold, with what is wrong in words for the error line. */
    public static final class BadSignature extends Exception {
        BadSignature(String problem) {
            super(problem);
        }
    }

    private static final Set<Integer> WEAK_HASHES = Set.of(HashAlgorithmTags.MD5, HashAlgorithmTags.SHA1,
            HashAlgorithmTags.RIPEMD160);

    private final PGPPublicKeyRingCollection keys;

    private ArchiveKeyring(PGPPublicKeyRingCollection keys) {
        this.keys = keys;
    }

    /**
     * Keys as {@code gpg --export} writes them, binary or ASCII-armoured, one or several keyrings concatenated.
     *
     * @throws IllegalArgumentException when the bytes hold no OpenPGP public key
     */
    public static ArchiveKeyring read(byte[] keyring) {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(keyring))) {
            PGPPublicKeyRingCollection keys = new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator());
            if (keys.size() == 0) {
                throw new IllegalArgumentException("it holds no OpenPGP public key");
            }
            return new ArchiveKeyring(keys);
        } catch (IOException | PGPException | RuntimeException e) {
            if (e instanceof IllegalArgumentException known) {
                throw known;
            }
            throw new IllegalArgumentException("it is not an OpenPGP public keyring (" + e.getMessage() + ")", e);
        }
    }

    /** Debian's archive keys, shipped in the jar (resources/keyrings/README.md says from where). */
    public static ArchiveKeyring debian() {
        try (InputStream in = ArchiveKeyring.class.getResourceAsStream("/keyrings/debian-archive-keyring.gpg")) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks keyrings/debian-archive-keyring.gpg");
            }
            return read(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The signed text of a clear-signed {@code InRelease}, once its signature holds. */
    public String verifyClearSigned(byte[] inRelease) throws BadSignature {
        try (ArmoredInputStream armored = ArmoredInputStream.builder().build(new ByteArrayInputStream(inRelease))) {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            for (int c = armored.isClearText() ? armored.read() : -1; c >= 0 && armored.isClearText(); c = armored.read()) {
                text.write(c);
            }
            if (text.size() == 0) {
                throw new BadSignature("it is not a clear-signed OpenPGP message");
            }
            verify(canonical(text.toByteArray()), signatures(armored));
            return text.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadSignature("its OpenPGP framing cannot be read (" + e.getMessage() + ")");
        }
    }

    /** Checks a {@code Release} file against its detached, armoured {@code Release.gpg}. */
    public void verifyDetached(byte[] release, byte[] signature) throws BadSignature {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(signature))) {
            verify(release, signatures(in));
        } catch (IOException e) {
            throw new BadSignature("its signature cannot be read (" + e.getMessage() + ")");
        }
    }

    private static List<PGPSignature> signatures(InputStream in) throws IOException, BadSignature {
        Object object = new BcPGPObjectFactory(in).nextObject();
        if (!(object instanceof PGPSignatureList list) || list.isEmpty()) {
            throw new BadSignature("it carries no OpenPGP signature");
        }
        List<PGPSignature> signatures = new ArrayList<>();
        list.forEach(signatures::add);
        return signatures;
    }

    private void verify(byte[] signed, List<PGPSignature> signatures) throws BadSignature {
        int good = 0;
        List<String> unknown = new ArrayList<>();
        for (PGPSignature signature : signatures) {
            PGPPublicKey key = publicKey(signature.getKeyID());
            if (key == null || !validAt(key, signature.getCreationTime())) {
                unknown.add(String.format("%016X", signature.getKeyID()));
                continue;
            }
            if (WEAK_HASHES.contains(signature.getHashAlgorithm())) {
                throw new BadSignature(String.format("the signature by key %016X uses a hash that apt no longer trusts"
                        + " (MD5, SHA-1 or RIPEMD-160)", signature.getKeyID()));
            }
            // The keyring is the trust anchor the user chose, not input to be vetted: Bouncy Castle's checks that an
            // RSA modulus is not weak (Miller-Rabin rounds, about 0.1 s per 4096-bit key) are skipped on this thread.
            Properties.setThreadOverride(UNSAFE_MODULUS_ALLOWED, true);
            try {
                signature.init(new BcPGPContentVerifierBuilderProvider(), key);
                signature.update(signed);
                if (!signature.verify()) {
                    throw new BadSignature(String.format("the signature by key %016X does not match the signed text"
                            + " (the file was changed after it was signed)", signature.getKeyID()));
                }
                good++;
            } catch (PGPException e) {
                throw new BadSignature(String.format("the signature by key %016X cannot be checked (%s)",
                        signature.getKeyID(), e.getMessage()));
            } finally {
                Properties.removeThreadOverride(UNSAFE_MODULUS_ALLOWED);
            }
        }
        if (good == 0) {
            throw new BadSignature("it is signed only by keys that are not in the keyring (" + String.join(", ", unknown)
                    + ")");
        }
    }

    /** The fingerprints of every key, sorted: what a change of keyring changes. */
    public List<String> fingerprints() {
        List<String> fingerprints = new ArrayList<>();
        keys.getKeyRings().forEachRemaining(ring -> ring.getPublicKeys().forEachRemaining(key ->
                fingerprints.add(HexFormat.of().formatHex(key.getFingerprint()))));
        Collections.sort(fingerprints);
        return List.copyOf(fingerprints);
    }

    private PGPPublicKey publicKey(long keyId) {
        return keys.getPublicKey(keyId);
    }

    /** Not revoked, and not expired when it signed. */
    private static boolean validAt(PGPPublicKey key, Date signed) {
        long valid = key.getValidSeconds();
        return !key.hasRevocation()
                && (valid == 0 || signed.toInstant().isBefore(key.getCreationTime().toInstant().plusSeconds(valid)));
    }

    /** RFC 4880 7.1: lines end in CR LF, without their trailing spaces and tabs, and the last line break is not signed. */
    private static byte[] canonical(byte[] text) {
        String[] lines = new String(text, StandardCharsets.UTF_8).split("\r?\n", -1);
        int count = lines.length > 0 && lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            out.append(i == 0 ? "" : "\r\n").append(lines[i].replaceAll("[ \t]+$", ""));
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
