package com.pyerp.deployaction.action;

import java.util.List;

/**
 * Compact JSON written in order, the way one of two writers writes it to the byte: outputs that must equal
 * metadata-action's are written as JavaScript's {@code JSON.stringify} does, image manifests and configurations
 * (whose bytes are their digests) as Jackson does in Jib. The two differ only in escapes: JavaScript writes a
 * control character's hex digits in lower case and escapes a lone surrogate too, Jackson writes upper case and
 * leaves a lone surrogate as it is.
 */
public final class JsonWriter {

    private final boolean javascript;
    private final StringBuilder text = new StringBuilder();
    private boolean first = true;

    private JsonWriter(boolean javascript) {
        this.javascript = javascript;
    }

    /** As {@code JSON.stringify} writes. */
    public static JsonWriter javascript() {
        return new JsonWriter(true);
    }

    /** As Jackson's default generator writes. */
    public static JsonWriter jackson() {
        return new JsonWriter(false);
    }

    public JsonWriter open(char bracket) {
        separate();
        text.append(bracket);
        first = true;
        return this;
    }

    public JsonWriter close(char bracket) {
        text.append(bracket);
        first = false;
        return this;
    }

    public JsonWriter field(String name) {
        string(name);
        text.append(':');
        first = true;
        return this;
    }

    /** A JSON string, or {@code null} for null. */
    public JsonWriter string(String value) {
        separate();
        if (value == null) {
            text.append("null");
            return this;
        }
        text.append('"');
        for (int index = 0; index < value.length(); index++) {
            char c = value.charAt(index);
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\b' -> text.append("\\b");
                case '\f' -> text.append("\\f");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                default -> {
                    if (c < 0x20 || javascript && isLoneSurrogate(value, index)) {
                        text.append(String.format(javascript ? "\\u%04x" : "\\u%04X", (int) c));
                    } else {
                        text.append(c);
                    }
                }
            }
        }
        text.append('"');
        return this;
    }

    /** A value written as it is, such as a number. */
    public JsonWriter raw(String value) {
        separate();
        text.append(value);
        return this;
    }

    public JsonWriter strings(List<String> values) {
        open('[');
        values.forEach(this::string);
        return close(']');
    }

    @Override
    public String toString() {
        return text.toString();
    }

    private void separate() {
        if (!first) {
            text.append(',');
        }
        first = false;
    }

    private static boolean isLoneSurrogate(String value, int index) {
        char c = value.charAt(index);
        return Character.isSurrogate(c)
                && !(Character.isHighSurrogate(c) && index + 1 < value.length()
                        && Character.isLowSurrogate(value.charAt(index + 1)))
                && !(Character.isLowSurrogate(c) && index > 0 && Character.isHighSurrogate(value.charAt(index - 1)));
    }
}
