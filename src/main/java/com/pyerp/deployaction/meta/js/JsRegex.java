package com.pyerp.deployaction.meta.js;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** A JavaScript regular expression ({@code new RegExp(source, flags)}) as a Java pattern. */
public final class JsRegex {

    private JsRegex() {}

    public static Pattern compile(String source, String flags) {
        int javaFlags = 0;
        for (char flag : flags.toCharArray()) {
            javaFlags |= switch (flag) {
                case 'i' -> Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
                case 'm' -> Pattern.MULTILINE;
                case 's' -> Pattern.DOTALL;
                case 'g', 'y', 'u', 'd' -> 0;
                default -> throw new IllegalArgumentException("unknown flag '" + flag + "'");
            };
        }
        try {
            // In JavaScript, $ without the m flag matches only at the very end.
            String translated = (javaFlags & Pattern.MULTILINE) == 0 ? source.replaceAll("(?<!\\\\)\\$$", "\\\\z") : source;
            return Pattern.compile(translated, javaFlags);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(e.getDescription());
        }
    }
}
