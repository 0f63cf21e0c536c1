package com.pyerp.deployaction.ssh;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns an argv list into one line for a POSIX shell (sh, bash, dash, zsh) on the server, so that each
 * element arrives as exactly one argument, whatever it contains. Words made only of safe characters stay
 * bare for readable logs; everything else is single-quoted, with {@code '} written as {@code '\''}. A word
 * that starts with {@code =} is quoted too: zsh's EQUALS option expands {@code =name} to the program's path.
 */
public final class ShellQuoting {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private ShellQuoting() {}

    public static String quote(String word) {
        if (word.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a shell argument cannot contain a NUL character");
        }
        if (SAFE.matcher(word).matches() && word.charAt(0) != '=') {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    public static String join(List<String> argv) {
        return argv.stream().map(ShellQuoting::quote).collect(Collectors.joining(" "));
    }
}
