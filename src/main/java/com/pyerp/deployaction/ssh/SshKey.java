package com.pyerp.deployaction.ssh;

import com.hierynomus.sshj.userauth.keyprovider.OpenSSHKeyV1KeyFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import net.schmizz.sshj.userauth.keyprovider.BaseFileKeyProvider;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.keyprovider.PKCS8KeyFile;
import net.schmizz.sshj.userauth.keyprovider.PuTTYKeyFile;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.Resource;

/**
 * A private key from the text of a secret (never from a file path), loaded and decrypted up front so that a
 * bad key or passphrase fails before any connection.
 *
 * <p>Accepted: OpenSSH ({@code BEGIN OPENSSH PRIVATE KEY}, bcrypt-encrypted or not), PEM PKCS#1/SEC1
 * ({@code BEGIN RSA/EC PRIVATE KEY}, including the legacy {@code Proc-Type: 4,ENCRYPTED} form, decrypted with
 * JDK ciphers by {@link LegacyPem}), PKCS#8 (encrypted or not), for ed25519, RSA (signing with rsa-sha2-256/512)
 * and ECDSA keys. Unencrypted PuTTY keys work; encrypted PuTTY v3 keys need BouncyCastle (not shipped), and the
 * error says to convert them with {@code puttygen KEY.ppk -O private-openssh -o KEY}.
 *
 * <p>Pasted secrets are normalised: CRLF becomes LF, surrounding blanks go, and the trailing newline that
 * copy-paste often loses is restored. Errors never contain the key or the passphrase.
 */
public final class SshKey {

    private static final String INPUT = "ssh-key";
    private final KeyProvider provider;
    private final String type;

    private SshKey(KeyProvider provider, String type) {
        this.provider = provider;
        this.type = type;
    }

    /**
     * @param text the private key file's content
     * @param passphrase the passphrase, or empty for an unencrypted key
     * @throws SshException titled {@code Invalid input: ssh-key} (or {@code ssh-key-passphrase}) saying what is wrong
     */
    public static SshKey parse(String text, String passphrase) {
        SshRuntime.prepare();
        String key = text.replace("\r\n", "\n").replace('\r', '\n').strip() + "\n";
        if (key.isBlank()) {
            throw invalid(INPUT, "'ssh-key' is empty. Set it to the private key, for example ${{ secrets.SSH_KEY }}.");
        }
        if (key.matches("(?s)(ssh-|ecdsa-|sk-).*") && !key.contains("PRIVATE KEY")) {
            throw invalid(INPUT, "'ssh-key' holds a public key. Set it to the private key (the file without .pub).");
        }
        boolean encrypted = isEncrypted(key);
        if (encrypted && passphrase.isEmpty()) {
            throw invalid("ssh-key-passphrase", "'ssh-key' is encrypted, but 'ssh-key-passphrase' is empty. Set"
                    + " 'ssh-key-passphrase', or remove the passphrase with `ssh-keygen -p -f KEY`.");
        }
        if (LegacyPem.isEncrypted(key)) {
            try {
                key = LegacyPem.decrypt(key, passphrase.toCharArray());
            } catch (LegacyPem.WrongPassphrase e) {
                throw wrongPassphrase();
            } catch (IllegalArgumentException e) {
                throw invalid(INPUT, "'ssh-key' cannot be read: " + e.getMessage() + ". Convert it to the OpenSSH"
                        + " format with `ssh-keygen -p -f KEY` (keeps the passphrase, rewrites the file).");
            }
            encrypted = false;
        }
        BaseFileKeyProvider provider;
        if (key.startsWith("-----BEGIN OPENSSH PRIVATE KEY-----")) {
            provider = new OpenSSHKeyV1KeyFile();
        } else if (key.startsWith("PuTTY-User-Key-File-")) {
            provider = new PuTTYKeyFile();
        } else if (key.startsWith("-----BEGIN ") && key.contains("PRIVATE KEY-----")) {
            provider = new PKCS8KeyFile();
        } else {
            throw invalid(INPUT, "'ssh-key' is not a private key: it must start with a line such as"
                    + " -----BEGIN OPENSSH PRIVATE KEY-----. Paste the whole key file, BEGIN and END lines included.");
        }
        char[] secret = passphrase.toCharArray();
        provider.init(key, null, new PasswordFinder() {
            @Override
            public char[] reqPassword(Resource<?> resource) {
                return secret.clone();
            }

            @Override
            public boolean shouldRetry(Resource<?> resource) {
                return false;
            }
        });
        try {
            provider.getPublic();
            return new SshKey(provider, provider.getType().toString());
        } catch (IOException | RuntimeException e) {
            if (encrypted) {
                throw wrongPassphrase();
            }
            if (key.startsWith("PuTTY-User-Key-File-")) {
                throw invalid(INPUT, "'ssh-key' is a PuTTY key this action cannot read. Convert it with"
                        + " `puttygen KEY.ppk -O private-openssh -o KEY`.");
            }
            throw invalid(INPUT, "'ssh-key' cannot be read (" + e.getClass().getSimpleName() + "). Check that the"
                    + " whole key was pasted, or rewrite it in the OpenSSH format with `ssh-keygen -p -f KEY`.");
        }
    }

    public KeyProvider provider() {
        return provider;
    }

    /** The key type, such as {@code ssh-ed25519}. */
    public String type() {
        return type;
    }

    private static boolean isEncrypted(String key) {
        if (key.contains("Proc-Type: 4,ENCRYPTED") || key.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
            return true;
        }
        if (key.startsWith("PuTTY-User-Key-File-")) {
            return !key.contains("Encryption: none");
        }
        if (key.startsWith("-----BEGIN OPENSSH PRIVATE KEY-----")) {
            try {
                String body = key.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
                byte[] bytes = Base64.getDecoder().decode(body);
                int offset = "openssh-key-v1\0".length();
                int length = ((bytes[offset] & 0xff) << 24) | ((bytes[offset + 1] & 0xff) << 16)
                        | ((bytes[offset + 2] & 0xff) << 8) | (bytes[offset + 3] & 0xff);
                return !new String(bytes, offset + 4, length, StandardCharsets.US_ASCII).equals("none");
            } catch (RuntimeException e) {
                return false;
            }
        }
        return false;
    }

    private static SshException wrongPassphrase() {
        return invalid("ssh-key-passphrase", "'ssh-key-passphrase' does not decrypt 'ssh-key'. Check the secret;"
                + " `ssh-keygen -y -f KEY` asks for the passphrase and prints the public key when it is right.");
    }

    private static SshException invalid(String input, String message) {
        return new SshException("Invalid input: " + input, message);
    }
}
