package com.pyerp.deployaction.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Inputs that take one of a few words, read as enums whose constants are those words in upper case. */
final class Choices {

    private Choices() {}

    /** The input's value, or the standard rejection naming the input and every choice. */
    static <E extends Enum<E>> E of(Inputs inputs, Input input, Class<E> type) {
        String chosen = inputs.choice(input, Arrays.stream(type.getEnumConstants()).map(Choices::label).toArray(String[]::new));
        return named(type, chosen).orElseThrow();
    }

    /** The choice {@code text} names, if any. */
    static <E extends Enum<E>> Optional<E> named(Class<E> type, String text) {
        return Arrays.stream(type.getEnumConstants()).filter(choice -> label(choice).equals(text)).findFirst();
    }

    /** {@code SETUP_SERVER} as the input writes it: {@code setup-server}. */
    static String label(Enum<?> choice) {
        return choice.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
