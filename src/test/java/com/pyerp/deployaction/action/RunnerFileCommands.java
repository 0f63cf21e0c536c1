package com.pyerp.deployaction.action;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a {@code $GITHUB_OUTPUT} file the way the Actions runner does on Linux (FileCommandManager): {@code
 * NAME=VALUE} lines, or {@code NAME<<DELIMITER} followed by value lines up to a line that is exactly the
 * delimiter. Only LF ends a line; a CR stays part of the value.
 */
public final class RunnerFileCommands {

    private RunnerFileCommands() {}

    public static Map<String, String> parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        int[] index = {0};
        String line;
        while ((line = readLine(text, index)) != null) {
            if (line.isEmpty()) {
                continue;
            }
            int equals = line.indexOf('=');
            int heredoc = line.indexOf("<<");
            if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
                values.put(line.substring(0, equals), line.substring(equals + 1));
            } else if (heredoc > 0 && heredoc + 2 < line.length()) {
                String delimiter = line.substring(heredoc + 2);
                int start = index[0];
                int end = start;
                String valueLine;
                while (!delimiter.equals(valueLine = readLine(text, index))) {
                    if (valueLine == null) {
                        throw new IllegalArgumentException("Matching delimiter not found '" + delimiter + "'");
                    }
                    if (text.charAt(index[0] - 1) != '\n') {
                        throw new IllegalArgumentException("EOF marker missing new line");
                    }
                    end = index[0] - 1;
                }
                values.put(line.substring(0, heredoc), end > start ? text.substring(start, end) : "");
            } else {
                throw new IllegalArgumentException("Invalid format '" + line + "'");
            }
        }
        return values;
    }

    /** The next line without its line break, advancing {@code index} past the break; null at the end. */
    private static String readLine(String text, int[] index) {
        if (index[0] >= text.length()) {
            return null;
        }
        int newline = text.indexOf('\n', index[0]);
        if (newline < 0) {
            String rest = text.substring(index[0]);
            index[0] = text.length();
            return rest;
        }
        String line = text.substring(index[0], newline);
        index[0] = newline + 1;
        return line;
    }
}
