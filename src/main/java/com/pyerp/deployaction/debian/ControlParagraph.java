package com.pyerp.deployaction.debian;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One paragraph of a Debian control file (deb822(5)): {@code Field: value} lines, continued by lines that start
 * with a space or a tab, paragraphs separated by blank lines. Field names compare without case, and keep the
 * spelling and order they were written in.
 *
 * @param fields by lower-case name: the name as written and the value, continuation lines joined with '\n'
 */
public record ControlParagraph(Map<String, Field> fields) {

    /** One field as written. */
    public record Field(String name, String value) {}

    public ControlParagraph {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** The value, trimmed; empty when the field is absent. */
    public String get(String name) {
        Field field = fields.get(name.toLowerCase(Locale.ROOT));
        return field == null ? "" : field.value().strip();
    }

    public Optional<String> find(String name) {
        return Optional.ofNullable(fields.get(name.toLowerCase(Locale.ROOT))).map(field -> field.value().strip());
    }

    /** Every paragraph of {@code text}. */
    public static List<ControlParagraph> parseAll(String text) {
        List<ControlParagraph> paragraphs = new ArrayList<>();
        try {
            read(new BufferedReader(new StringReader(text)), paragraphs::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return paragraphs;
    }

    /**
     * Hands each paragraph to {@code each} as it is read, so that a large index (tens of MB) is never held whole.
     *
     * @throws IllegalArgumentException naming the line, for a line that is neither a field nor a continuation
     */
    public static void read(BufferedReader reader, Consumer<ControlParagraph> each) throws IOException {
        Map<String, Field> fields = new LinkedHashMap<>();
        String name = null;
        StringBuilder value = null;
        int number = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            number++;
            if (line.isBlank()) {
                if (name != null) {
                    fields.put(name.toLowerCase(Locale.ROOT), new Field(name, value.toString()));
                    each.accept(new ControlParagraph(fields));
                    fields.clear();
                    name = null;
                }
                continue;
            }
            char first = line.charAt(0);
            if (first == ' ' || first == '\t') {
                if (name == null) {
                    throw new IllegalArgumentException("line " + number + ": a continuation line without a field");
                }
                value.append('\n').append(line.substring(1));
                continue;
            }
            if (first == '#') {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("line " + number + ": expected 'Field: value'");
            }
            if (name != null) {
                fields.put(name.toLowerCase(Locale.ROOT), new Field(name, value.toString()));
            }
            name = line.substring(0, colon);
            if (fields.containsKey(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("line " + number + ": the field " + name + " appears twice");
            }
            value = new StringBuilder(line.substring(colon + 1).strip());
        }
        if (name != null) {
            fields.put(name.toLowerCase(Locale.ROOT), new Field(name, value.toString()));
            each.accept(new ControlParagraph(fields));
        }
    }
}
