package com.pyerp.deployaction.action;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code .env} format as Docker Compose and python-dotenv read it: {@code KEY=value} lines, an optional
 * {@code export } prefix, {@code #} comments (whole lines, or after whitespace behind an unquoted value),
 * {@code =} inside values, single-quoted values taken literally, double-quoted values with {@code \n},
 * {@code \t}, {@code \r}, {@code \"}, {@code \\} and {@code \$} escapes, and quoted values that span lines.
 *
 * <p>Error messages name the line and the key, never a value: the text may hold secrets.
 *
 * <p>Each entry keeps the comment written on its line and the comment lines right above it, so that a
 * template can mark keys there. A key given twice keeps its first position and its last value.
 */
public record DotEnv(List<Entry> entries) {

    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]*");

    /** One assignment; {@code comment} holds the comment lines above it and the comment on its line. */
    public record Entry(String key, String value, String comment) {
        /** The key only: values are secrets more often than not. */
        @Override
        public String toString() {
            return "Entry[" + key + "]";
        }
    }

    public DotEnv {
        entries = List.copyOf(entries);
    }

    /**
     * @param origin names the text in error messages, for example {@code env-file}
     * @throws IllegalArgumentException naming the origin, the line and what is wrong with it
     */
    public static DotEnv parse(String text, String origin) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        String source = text.replace("\r\n", "\n");
        StringBuilder comments = new StringBuilder();
        int position = 0;
        int line = 1;
        while (position < source.length()) {
            int end = lineEnd(source, position);
            String current = source.substring(position, end).strip();
            if (current.isEmpty()) {
                comments.setLength(0);
            } else if (current.startsWith("#")) {
                comments.append(current.substring(1).strip()).append('\n');
            } else {
                Parsed parsed = assignment(source, position, line, origin);
                String comment = (comments + parsed.comment).strip();
                Entry previous = entries.get(parsed.key);
                entries.put(parsed.key, new Entry(parsed.key, parsed.value,
                        previous == null || comment.length() > 0 ? comment : previous.comment()));
                comments.setLength(0);
                line += count(source.substring(position, parsed.end), '\n');
                end = lineEnd(source, parsed.end);
                String rest = source.substring(parsed.end, end).strip();
                if (!rest.isEmpty() && !rest.startsWith("#")) {
                    throw error(origin, line, "unexpected text after the quoted value of " + parsed.key
                            + " (quote the whole value)");
                }
            }
            position = end + 1;
            line++;
        }
        return new DotEnv(List.copyOf(entries.values()));
    }

    /** The value of {@code key}, or null. */
    public String get(String key) {
        return entries.stream().filter(entry -> entry.key().equals(key)).map(Entry::value).findFirst().orElse(null);
    }

    public Map<String, String> asMap() {
        Map<String, String> map = new LinkedHashMap<>();
        entries.forEach(entry -> map.put(entry.key(), entry.value()));
        return map;
    }

    /**
     * The file content, one {@code KEY=value} line per entry, no comments. Values that need it are quoted so that
     * {@link #parse} gives them back unchanged: single quotes when that suffices, otherwise double quotes
     * with escapes.
     */
    public static String write(Map<String, String> values) {
        StringBuilder text = new StringBuilder();
        values.forEach((key, value) -> {
            if (!KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("'" + key + "' is not a valid .env key");
            }
            text.append(key).append('=').append(quote(value)).append('\n');
        });
        return text.toString();
    }

    static String quote(String value) {
        if (BARE.matcher(value).matches()) {
            return value;
        }
        if (value.indexOf('\'') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return "'" + value + "'";
        }
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> quoted.append("\\\\");
                case '"' -> quoted.append("\\\"");
                case '$' -> quoted.append("\\$");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    private record Parsed(String key, String value, String comment, int end) {}

    private static Parsed assignment(String source, int start, int line, String origin) {
        int end = lineEnd(source, start);
        String head = source.substring(start, end);
        int equals = head.indexOf('=');
        if (equals < 0) {
            throw error(origin, line, "expected KEY=VALUE, a # comment or a blank line");
        }
        String key = head.substring(0, equals).strip();
        if (key.startsWith("export ") || key.startsWith("export\t")) {
            key = key.substring(7).strip();
        }
        if (!KEY.matcher(key).matches()) {
            throw error(origin, line, "'" + key + "' is not a valid key (letters, digits and _, not starting with a"
                    + " digit)");
        }
        int position = start + equals + 1;
        while (position < end && (source.charAt(position) == ' ' || source.charAt(position) == '\t')) {
            position++;
        }
        if (position < end && (source.charAt(position) == '\'' || source.charAt(position) == '"')) {
            return quoted(source, position, key, line, origin);
        }
        String raw = source.substring(position, end);
        String comment = "";
        int hash = inlineComment(raw);
        if (hash >= 0) {
            comment = raw.substring(hash + 1).strip();
            raw = raw.substring(0, hash);
        }
        return new Parsed(key, raw.strip(), comment, end);
    }

    /** A {@code #} that starts a comment: at the start of the value or after whitespace. */
    private static int inlineComment(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) == '#' && (i == 0 || Character.isWhitespace(raw.charAt(i - 1)))) {
                return i;
            }
        }
        return -1;
    }

    private static Parsed quoted(String source, int open, String key, int line, String origin) {
        char quote = source.charAt(open);
        StringBuilder value = new StringBuilder();
        int i = open + 1;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == quote) {
                int end = lineEnd(source, i + 1);
                String rest = source.substring(i + 1, end).strip();
                String comment = rest.startsWith("#") ? rest.substring(1).strip() : "";
                return new Parsed(key, value.toString(), comment, i + 1);
            }
            if (quote == '"' && c == '\\' && i + 1 < source.length()) {
                char next = source.charAt(i + 1);
                switch (next) {
                    case 'n' -> value.append('\n');
                    case 't' -> value.append('\t');
                    case 'r' -> value.append('\r');
                    case '"', '\\', '$' -> value.append(next);
                    default -> value.append(c).append(next);
                }
                i += 2;
                continue;
            }
            value.append(c);
            i++;
        }
        throw error(origin, line, "the quoted value of " + key + " is never closed (a " + quote + " is missing)");
    }

    private static int lineEnd(String source, int from) {
        int newline = source.indexOf('\n', from);
        return newline < 0 ? source.length() : newline;
    }

    private static int count(String text, char c) {
        return (int) text.chars().filter(ch -> ch == c).count();
    }

    private static IllegalArgumentException error(String origin, int line, String message) {
        return new IllegalArgumentException(origin + ", line " + line + ": " + message);
    }
}
