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
import java.util.function.Predicate;

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
        read(reader, name -> true, each);
    }

    /**
     * As {@link #read(BufferedReader, Consumer)}, keeping only the fields {@code kept} accepts (by lower-case name):
     * an index's descriptions, maintainers and tags are most of its bytes, and nothing here reads them.
     */
    public static void read(BufferedReader reader, Predicate<String> kept, Consumer<ControlParagraph> each)
            throws IOException {
        Map<String, Field> fields = new LinkedHashMap<>();
        String name = null;
        String key = null;
        StringBuilder value = null;
        boolean any = false;
        int number = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            number++;
            if (line.isBlank()) {
                if (any) {
                    if (name != null) {
                        fields.put(key, new Field(name, value.toString()));
                    }
                    each.accept(new ControlParagraph(fields));
                    fields.clear();
                    name = null;
                    any = false;
                }
                continue;
            }
            char first = line.charAt(0);
            if (first == ' ' || first == '\t') {
                if (!any) {
                    throw new IllegalArgumentException("line " + number + ": a continuation line without a field");
                }
                if (name != null) {
                    value.append('\n').append(line, 1, line.length());
                }
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
                fields.put(key, new Field(name, value.toString()));
            }
            any = true;
            String written = line.substring(0, colon);
            String lower = written.toLowerCase(Locale.ROOT);
            if (!kept.test(lower)) {
                name = null;
                continue;
            }
            if (fields.containsKey(lower)) {
                throw new IllegalArgumentException("line " + number + ": the field " + written + " appears twice");
            }
            name = written;
            key = lower;
            value = new StringBuilder(line.substring(colon + 1).strip());
        }
        if (any) {
            if (name != null) {
                fields.put(key, new Field(name, value.toString()));
            }
            each.accept(new ControlParagraph(fields));
        }
    }
}
