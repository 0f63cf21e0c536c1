package com.pyerp.deployaction.ssh;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Decrypts the legacy OpenSSL PEM encryption ({@code Proc-Type: 4,ENCRYPTED} with {@code DEK-Info}), as made by
 * {@code ssh-keygen -m PEM -N …} and old {@code openssl rsa -aes128}, with the JDK's own ciphers. sshj needs
 * BouncyCastle for these keys, and the action ships without it. The result is the same key as unencrypted PEM,
 * kept in memory only.
 */
final class LegacyPem {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----\\n(.*?)\\n\\n(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final Pattern DEK_INFO = Pattern.compile("DEK-Info:\\s*([A-Z0-9-]+)\\s*,\\s*([0-9A-Fa-f]+)");

    private LegacyPem() {}

    static boolean isEncrypted(String pem) {
        return pem.contains("Proc-Type: 4,ENCRYPTED");
    }

    /**
     * @throws IllegalArgumentException when the cipher is not supported
     * @throws WrongPassphrase when the passphrase does not decrypt the key
     */
    static String decrypt(String pem, char[] passphrase) {
        Matcher block = BLOCK.matcher(pem);
        if (!block.find()) {
            throw new IllegalArgumentException("the encrypted PEM key has no header block");
        }
        Matcher dek = DEK_INFO.matcher(block.group(2));
        if (!dek.find()) {
            throw new IllegalArgumentException("the encrypted PEM key has no DEK-Info header");
        }
        String cipherName = dek.group(1).toUpperCase(Locale.ROOT);
        byte[] iv = HexFormat.of().parseHex(dek.group(2));
        int keyLength;
        String transformation;
        String algorithm;
        switch (cipherName) {
            case "AES-128-CBC", "AES-192-CBC", "AES-256-CBC" -> {
                keyLength = Integer.parseInt(cipherName.substring(4, 7)) / 8;
                transformation = "AES/CBC/PKCS5Padding";
                algorithm = "AES";
            }
            case "DES-EDE3-CBC" -> {
                keyLength = 24;
                transformation = "DESede/CBC/PKCS5Padding";
                algorithm = "DESede";
            }
            default -> throw new IllegalArgumentException("the PEM key is encrypted with " + cipherName
                    + ", which is not supported");
        }
        byte[] body = Base64.getMimeDecoder().decode(block.group(3));
        byte[] plain;
        try {
            byte[] key = bytesToKey(new String(passphrase).getBytes(StandardCharsets.UTF_8), iv, keyLength);
            Cipher cipher = Cipher.getInstance(transformation);
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, algorithm), new IvParameterSpec(iv));
            plain = cipher.doFinal(body);
        } catch (javax.crypto.BadPaddingException e) {
            throw new WrongPassphrase();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the PEM key cannot be decrypted: " + e.getMessage(), e);
        }
        if (plain.length < 2 || plain[0] != 0x30) {
            throw new WrongPassphrase();
        }
        return "-----BEGIN " + block.group(1) + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(plain)
                + "\n-----END " + block.group(1) + "-----\n";
    }

    /** OpenSSL's EVP_BytesToKey with MD5, one round, the first 8 bytes of the IV as salt. */
    private static byte[] bytesToKey(byte[] password, byte[] iv, int length) throws GeneralSecurityException {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        byte[] key = new byte[length];
        byte[] previous = new byte[0];
        for (int filled = 0; filled < length; ) {
            md5.update(previous);
            md5.update(password);
            md5.update(iv, 0, 8);
            previous = md5.digest();
            int take = Math.min(previous.length, length - filled);
            System.arraycopy(previous, 0, key, filled, take);
            filled += take;
        }
        return key;
    }

    static final class WrongPassphrase extends RuntimeException {
        WrongPassphrase() {
            super("wrong passphrase", null, false, false);
        }
    }
}
