package com.pyerp.deployaction.debian;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Date;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.BCPGOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;

/** A throwaway archive signing key, for Release files signed the way Debian's archive signs them. */
public final class TestArchiveKey {

    private final PGPKeyPair pair;

    private TestArchiveKey(PGPKeyPair pair) {
        this.pair = pair;
    }

    public static TestArchiveKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return new TestArchiveKey(new JcaPGPKeyPair(PGPPublicKey.RSA_GENERAL, generator.generateKeyPair(), new Date()));
        } catch (NoSuchAlgorithmException | PGPException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key, as {@code gpg --export} writes it (binary). */
    public byte[] keyring() {
        try {
            return pair.getPublicKey().getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public long keyId() {
        return pair.getKeyID();
    }

    /** {@code text} clear-signed, as an {@code InRelease} file. */
    public byte[] clearSign(String text) {
        try {
            PGPSignatureGenerator signer = signer(PGPSignature.CANONICAL_TEXT_DOCUMENT);
            String[] lines = text.split("\n", -1);
            int count = lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
            for (int i = 0; i < count; i++) {
                signer.update(((i == 0 ? "" : "\r\n") + lines[i].stripTrailing()).getBytes(StandardCharsets.UTF_8));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ArmoredOutputStream armored = new ArmoredOutputStream(out)) {
                armored.beginClearText(HashAlgorithmTags.SHA512);
                armored.write(text.getBytes(StandardCharsets.UTF_8));
                armored.endClearText();
                signer.generate().encode(new BCPGOutputStream(armored));
            }
            return out.toByteArray();
        } catch (IOException | PGPException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An armoured detached signature of {@code release}, as a {@code Release.gpg} file. */
    public byte[] detachedSignature(byte[] release) {
        try {
            PGPSignatureGenerator signer = signer(PGPSignature.BINARY_DOCUMENT);
            signer.update(release);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ArmoredOutputStream armored = new ArmoredOutputStream(out)) {
                signer.generate().encode(armored);
            }
            return out.toByteArray();
        } catch (IOException | PGPException e) {
            throw new IllegalStateException(e);
        }
    }

    private PGPSignatureGenerator signer(int type) throws PGPException {
        PGPSignatureGenerator signer = new PGPSignatureGenerator(
                new JcaPGPContentSignerBuilder(PGPPublicKey.RSA_GENERAL, HashAlgorithmTags.SHA512), pair.getPublicKey());
        signer.init(type, pair.getPrivateKey());
        return signer;
    }
}
