package com.pyerp.deployaction.os;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An {@code /etc/os-release} (or {@code /usr/lib/os-release}), an image's or a server's: ID, VERSION_ID,
 * VERSION_CODENAME and PRETTY_NAME.
 */
public record OsRelease(String id, String versionId, String codename, String prettyName) {

    public static final OsRelease UNKNOWN = new OsRelease("", "", "", "");

    public static OsRelease parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0 && !line.startsWith("#")) {
                String value = line.substring(equals + 1).trim();
                if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                        || value.startsWith("'") && value.endsWith("'"))) {
                    value = value.substring(1, value.length() - 1);
                }
                values.put(line.substring(0, equals).trim(), value);
            }
        }
        return new OsRelease(values.getOrDefault("ID", ""), values.getOrDefault("VERSION_ID", ""),
                values.getOrDefault("VERSION_CODENAME", ""), values.getOrDefault("PRETTY_NAME", ""));
    }

    /** PRETTY_NAME, else ID, for messages. */
    public String describe() {
        return !prettyName.isEmpty() ? prettyName : id.isEmpty() ? "an unknown system" : id;
    }

    public boolean known() {
        return !id.isEmpty();
    }

    /** "12" of Debian's "12"; Debian testing/sid have no VERSION_ID. */
    public String majorVersion() {
        return versionId.isEmpty() ? codename : versionId.split("\\.")[0];
    }

    /** "3.19" of Alpine's "3.19.1". */
    public String minorVersion() {
        String[] parts = versionId.split("\\.");
        return parts.length >= 2 ? parts[0] + "." + parts[1] : versionId;
    }

    /** syft's distro qualifier: {@code debian-12}. */
    public String distro() {
        return id + "-" + versionId;
    }
}
