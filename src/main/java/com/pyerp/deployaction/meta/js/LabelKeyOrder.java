package com.pyerp.deployaction.meta.js;

import java.util.Comparator;

/**
 * The order of {@code String.localeCompare} (ICU root collation) for label keys: case-insensitive first, then
 * lower case before upper case; {@code _ - , ; : ! ? . ' "} and other punctuation before digits before letters.
 */
public final class LabelKeyOrder implements Comparator<String> {

    public static final LabelKeyOrder INSTANCE = new LabelKeyOrder();
    private static final String PUNCTUATION = "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$";

    private LabelKeyOrder() {}

    @Override
    public int compare(String a, String b) {
        int length = Math.min(a.length(), b.length());
        for (int i = 0; i < length; i++) {
            int difference = Integer.compare(weight(a.charAt(i)), weight(b.charAt(i)));
            if (difference != 0) {
                return difference;
            }
        }
        if (a.length() != b.length()) {
            return Integer.compare(a.length(), b.length());
        }
        for (int i = 0; i < length; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                return Character.isLowerCase(x) ? -1 : Character.isLowerCase(y) ? 1 : Character.compare(x, y);
            }
        }
        return 0;
    }

    private static int weight(char c) {
        int punctuation = PUNCTUATION.indexOf(c);
        if (punctuation >= 0) {
            return punctuation;
        }
        if (c >= '0' && c <= '9') {
            return 100 + c - '0';
        }
        if (Character.isLetter(c)) {
            return 200 + Character.toLowerCase(c);
        }
        return 100_000 + c;
    }
}
