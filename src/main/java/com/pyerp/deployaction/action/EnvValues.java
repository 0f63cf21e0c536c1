package com.pyerp.deployaction.action;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which values of an env file to mask: all of them, whatever their key or length, but for the few that are plainly
 * not secret (numbers, booleans), which would otherwise turn every such word of the log into {@code ***}. It reads
 * more loosely than {@link DotEnv} on purpose: a file that DotEnv refuses is still masked before the refusal, or
 * anything else, is printed.
 */
public final class EnvValues {

    private static final Pattern PLAIN = Pattern.compile("\\d{1,5}|(?i:true|false|yes|no|on|off)");

    private EnvValues() {}

    public static boolean needsMask(String value) {
        return !value.isBlank() && !PLAIN.matcher(value.strip()).matches();
    }

    /**
     * The values of {@code KEY=VALUE} lines to mask, without their quotes; an unquoted value with a {@code  #} comment
     * both whole and without it, since readers differ. A quoted value that goes on over several lines is one value, and
     * so each of its lines is masked too ({@link Workflow#mask}).
     */
    public static List<String> toMask(String envFile) {
        List<String> values = new ArrayList<>();
        StringBuilder open = null;
        char quote = 0;
        for (String line : envFile.split("\\r?\\n", -1)) {
            if (open != null) {
                int end = line.indexOf(quote);
                open.append('\n').append(end < 0 ? line : line.substring(0, end));
                if (end >= 0) {
                    values.add(open.toString());
                    open = null;
                }
                continue;
            }
            int equals = line.indexOf('=');
            if (line.strip().startsWith("#") || equals < 0) {
                continue;
            }
            String value = line.substring(equals + 1).strip();
            char first = value.isEmpty() ? 0 : value.charAt(0);
            if ((first == '"' || first == '\'') && value.indexOf(first, 1) < 0) {
                open = new StringBuilder(value.substring(1));
                quote = first;
                continue;
            }
            if (first == '"' || first == '\'') {
                values.add(value.substring(1, value.indexOf(first, 1)));
            } else {
                values.add(value);
                int comment = value.indexOf(" #");
                if (comment > 0) {
                    values.add(value.substring(0, comment).strip());
                }
            }
        }
        if (open != null) {
            values.add(open.toString().stripTrailing());
        }
        return values.stream().filter(EnvValues::needsMask).toList();
    }
}
