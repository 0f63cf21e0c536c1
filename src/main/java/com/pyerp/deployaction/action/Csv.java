package com.pyerp.deployaction.action;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The comma-separated syntax of metadata-action's list inputs ({@code images}, {@code tags}, {@code flavor},
 * {@code labels}, {@code annotations}): one entry per line, lines starting with {@code #} are comments, and
 * an entry's fields are separated by commas with {@code "} quoting.
 */
public final class Csv {

    private Csv() {}

    /** The entries of a list input: non-blank, non-comment lines, their fields re-joined with commas. */
    public static List<String> entries(String input) {
        List<String> entries = new ArrayList<>();
        for (String line : input.strip().split("\\r?\\n")) {
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            entries.add(String.join(",", fields(line, true)).trim());
        }
        return entries;
    }

    /** The fields of one entry without relaxed quotes; a syntax problem becomes the caller's {@code invalid} error. */
    public static List<String> strictFields(String entry, Function<String, ActionException> invalid) {
        try {
            return fields(entry, false);
        } catch (IllegalArgumentException e) {
            throw invalid.apply(e.getMessage());
        }
    }

    /**
     * The fields of one entry. A quoted field may contain commas and doubled quotes. With {@code relaxQuotes}
     * a quote inside an unquoted field is kept as is; without, it is an error.
     */
    public static List<String> fields(String entry, boolean relaxQuotes) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldStart = true;
        for (int i = 0; i < entry.length(); i++) {
            char c = entry.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < entry.length() && entry.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                fieldStart = true;
                continue;
            } else if (c == '"' && fieldStart) {
                quoted = true;
            } else if (c == '"' && !relaxQuotes) {
                throw new IllegalArgumentException("a quote in the middle of a field (quote the whole field)");
            } else {
                field.append(c);
            }
            fieldStart = false;
        }
        if (quoted) {
            throw new IllegalArgumentException("a quoted field is not closed");
        }
        fields.add(field.toString());
        return fields;
    }
}
