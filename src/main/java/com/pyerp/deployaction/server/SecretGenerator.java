package com.pyerp.deployaction.server;

import java.security.SecureRandom;
import java.util.Locale;

/** Makes a value for a secret key that no source provides. */
@FunctionalInterface
public interface SecretGenerator {

    String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    /** URL- and shell-safe, needs no quoting in a .env file and no escaping in a compose file. */
    String URL_SAFE = ALPHANUMERIC + "-_";

    String generate(String key);

    /**
     * From {@link SecureRandom}: passwords get 32 letters and digits (190 bits; safe inside database URLs and
     * in MySQL's and PostgreSQL's client tools), every other secret 50 characters of {@link #URL_SAFE}
     * (300 bits; as long as Django's own {@code SECRET_KEY}).
     */
    static SecretGenerator secure() {
        SecureRandom random = new SecureRandom();
        return key -> key.toUpperCase(Locale.ROOT).endsWith("PASSWORD")
                ? random(random, ALPHANUMERIC, 32)
                : random(random, URL_SAFE, 50);
    }

    private static String random(SecureRandom random, String alphabet, int length) {
        StringBuilder value = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            value.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return value.toString();
    }
}
