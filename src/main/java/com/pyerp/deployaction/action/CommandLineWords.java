package com.pyerp.deployaction.action;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@code entrypoint} and {@code cmd} values: a JSON array of strings, or a shell-like line with quotes. */
public final class CommandLineWords {

    private CommandLineWords() {}

    /** The words; throws IllegalArgumentException with the reason when the value cannot be split. */
    public static List<String> split(String value) {
        String text = value.strip();
        return text.startsWith("[") ? jsonArray(text) : shellWords(text);
    }

    private static List<String> jsonArray(String text) {
        JsonValue array;
        try {
            array = JsonValue.parse(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("it starts with '[' but is not a JSON array (" + e.getMessage() + ")");
        }
        if (!array.isArray()) {
            throw new IllegalArgumentException("it starts with '[' but is not a JSON array");
        }
        List<String> words = new ArrayList<>();
        for (JsonValue word : array) {
            if (!word.isText()) {
                throw new IllegalArgumentException("a JSON array must contain only strings");
            }
            words.add(word.asText(""));
        }
        return List.copyOf(words);
    }

    /** Whitespace separates words; single quotes keep text literally; double quotes allow \" and \\. */
    private static List<String> shellWords(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < text.length() && (text.charAt(i + 1) == '"' || text.charAt(i + 1) == '\\')) {
                    word.append(text.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                inWord = true;
                if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '\\' && i + 1 < text.length()) {
                    word.append(text.charAt(++i));
                } else {
                    word.append(c);
                }
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("a " + (quote == '"' ? "double" : "single") + " quote is not closed");
        }
        if (inWord) {
            words.add(word.toString());
        }
        return List.copyOf(words);
    }
}
