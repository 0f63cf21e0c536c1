package com.pyerp.deployaction.action;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed JSON document (event payloads, GitHub API answers), read with a small recursive-descent parser.
 * Jackson would do, but loading it costs about 50 ms at start-up, a quarter of a metadata-only run.
 * {@link #path} never returns null: a missing member is {@link #MISSING}, as in Jackson's tree model.
 */
public final class JsonValue implements Iterable<JsonValue> {

    private enum Kind { OBJECT, ARRAY, STRING, NUMBER, BOOLEAN, NULL, MISSING }

    public static final JsonValue MISSING = new JsonValue(Kind.MISSING, null, Map.of(), List.of());
    private static final JsonValue NULL = new JsonValue(Kind.NULL, null, Map.of(), List.of());

    private final Kind kind;
    private final String scalar;
    private final Map<String, JsonValue> members;
    private final List<JsonValue> elements;

    private JsonValue(Kind kind, String scalar, Map<String, JsonValue> members, List<JsonValue> elements) {
        this.kind = kind;
        this.scalar = scalar;
        this.members = members;
        this.elements = elements;
    }

    public static JsonValue read(InputStream in) throws IOException {
        return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }

    /** Parses a whole document; anything after the value is an error. */
    public static JsonValue parse(String text) throws SyntaxError {
        Parser parser = new Parser(text);
        JsonValue value = parser.value();
        parser.skipWhitespace();
        if (parser.position != text.length()) {
            throw parser.error("unexpected content after the JSON value");
        }
        return value;
    }

    /** The member of an object, or {@link #MISSING}. */
    public JsonValue path(String name) {
        return members.getOrDefault(name, MISSING);
    }

    /** Strings as they are, numbers and booleans as written; {@code fallback} for null, missing, objects and arrays. */
    public String asText(String fallback) {
        return scalar == null ? fallback : scalar;
    }

    public boolean isMissing() {
        return kind == Kind.MISSING;
    }

    /** Present and not JSON null. */
    public boolean isPresent() {
        return kind != Kind.MISSING && kind != Kind.NULL;
    }

    public boolean isText() {
        return kind == Kind.STRING;
    }

    public boolean isArray() {
        return kind == Kind.ARRAY;
    }

    public boolean isObject() {
        return kind == Kind.OBJECT;
    }

    /** The members of an object in document order; none for any other value. */
    public Map<String, JsonValue> members() {
        return members;
    }

    /** The elements of an array; nothing for any other value. */
    @Override
    public Iterator<JsonValue> iterator() {
        return elements.iterator();
    }

    /** A document that is not JSON. The message names the problem and where, never the document's text. */
    public static final class SyntaxError extends IOException {
        private final int line;
        private final int column;

        SyntaxError(String problem, int line, int column) {
            super(problem + " at line " + line + ", column " + column);
            this.line = line;
            this.column = column;
        }

        public int line() {
            return line;
        }

        public int column() {
            return column;
        }
    }

    private static final class Parser {
        private final String text;
        private int position;

        Parser(String text) {
            this.text = text;
        }

        JsonValue value() throws SyntaxError {
            skipWhitespace();
            if (position >= text.length()) {
                throw error("unexpected end of the document");
            }
            char c = text.charAt(position);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> new JsonValue(Kind.STRING, string(), Map.of(), List.of());
                case 't' -> literal("true", new JsonValue(Kind.BOOLEAN, "true", Map.of(), List.of()));
                case 'f' -> literal("false", new JsonValue(Kind.BOOLEAN, "false", Map.of(), List.of()));
                case 'n' -> literal("null", NULL);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield number();
                    }
                    throw error("unexpected character '" + c + "'");
                }
            };
        }

        private JsonValue object() throws SyntaxError {
            position++;
            Map<String, JsonValue> members = new LinkedHashMap<>();
            skipWhitespace();
            if (peek('}')) {
                return new JsonValue(Kind.OBJECT, null, members, List.of());
            }
            do {
                skipWhitespace();
                if (position >= text.length() || text.charAt(position) != '"') {
                    throw error("expected a member name");
                }
                String name = string();
                skipWhitespace();
                expect(':');
                members.put(name, value());
                skipWhitespace();
            } while (peek(','));
            expect('}');
            return new JsonValue(Kind.OBJECT, null, Collections.unmodifiableMap(members), List.of());
        }

        private JsonValue array() throws SyntaxError {
            position++;
            List<JsonValue> elements = new ArrayList<>();
            skipWhitespace();
            if (peek(']')) {
                return new JsonValue(Kind.ARRAY, null, Map.of(), elements);
            }
            do {
                elements.add(value());
                skipWhitespace();
            } while (peek(','));
            expect(']');
            return new JsonValue(Kind.ARRAY, null, Map.of(), Collections.unmodifiableList(elements));
        }

        /** At an opening quote: the unescaped string, the closing quote consumed. */
        private String string() throws SyntaxError {
            position++;
            StringBuilder out = new StringBuilder();
            while (position < text.length()) {
                char c = text.charAt(position++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\') {
                    if (position >= text.length()) {
                        break;
                    }
                    char escaped = text.charAt(position++);
                    switch (escaped) {
                        case '"', '\\', '/' -> out.append(escaped);
                        case 'b' -> out.append('\b');
                        case 'f' -> out.append('\f');
                        case 'n' -> out.append('\n');
                        case 'r' -> out.append('\r');
                        case 't' -> out.append('\t');
                        case 'u' -> {
                            if (position + 4 > text.length()) {
                                throw error("incomplete \\u escape");
                            }
                            try {
                                out.append((char) Integer.parseInt(text.substring(position, position + 4), 16));
                            } catch (NumberFormatException e) {
                                throw error("bad \\u escape");
                            }
                            position += 4;
                        }
                        default -> throw error("bad escape \\" + escaped);
                    }
                } else if (c < 0x20) {
                    throw error("control character in a string");
                } else {
                    out.append(c);
                }
            }
            throw error("unterminated string");
        }

        private JsonValue number() throws SyntaxError {
            int start = position;
            if (text.charAt(position) == '-') {
                position++;
            }
            while (position < text.length() && "0123456789.eE+-".indexOf(text.charAt(position)) >= 0) {
                position++;
            }
            String number = text.substring(start, position);
            if (!number.matches("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?")) {
                throw error("bad number '" + number + "'");
            }
            return new JsonValue(Kind.NUMBER, number, Map.of(), List.of());
        }

        private JsonValue literal(String word, JsonValue value) throws SyntaxError {
            if (!text.startsWith(word, position)) {
                throw error("unexpected word");
            }
            position += word.length();
            return value;
        }

        private boolean peek(char expected) {
            if (position < text.length() && text.charAt(position) == expected) {
                position++;
                return true;
            }
            return false;
        }

        private void expect(char expected) throws SyntaxError {
            skipWhitespace();
            if (!peek(expected)) {
                throw error("expected '" + expected + "'");
            }
        }

        void skipWhitespace() {
            while (position < text.length() && " \t\r\n".indexOf(text.charAt(position)) >= 0) {
                position++;
            }
        }

        SyntaxError error(String problem) {
            int line = 1;
            int column = 1;
            for (int i = 0; i < Math.min(position, text.length()); i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                    column = 1;
                } else {
                    column++;
                }
            }
            return new SyntaxError(problem, line, column);
        }
    }
}
