package com.pyerp.deployaction.scan.inventory;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding of package URL components as syft's packageurl-go does it: in names and versions unreserved
 * characters, {@code :} and {@code +} stay; in qualifier values {@code +} is encoded too.
 */
public final class Purl {

    private Purl() {}

    public static String encode(String value) {
        return encode(value, "-._~:+");
    }

    public static String encodeQualifier(String value) {
        return encode(value, "-._~:");
    }

    private static String encode(String value, String kept) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || kept.indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
