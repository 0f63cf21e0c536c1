package com.pyerp.deployaction.config;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.config.DeployConfigFile.Value;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** Typed reads of one section, with errors that name the file, line and key. */
final class EnvironmentSection {

    private final String environment;
    private final Map<String, Value> section;
    private final String source;
    private final Path directory;

    EnvironmentSection(String environment, Map<String, Value> section, String source, Path directory) {
        this.environment = environment;
        this.section = section;
        this.source = source;
        this.directory = directory;
    }

    Path directory() {
        return directory;
    }

    boolean has(String key) {
        return section.containsKey(key);
    }

    <T> T get(String key, Function<Value, T> read, T fallback) {
        Value value = section.get(key);
        return value == null ? fallback : read.apply(value);
    }

    String text(Value value) {
        if (value.isList()) {
            throw invalid(value, key(value), "must be a single value, not a list");
        }
        return value.text().strip();
    }

    /** A text that must match {@code pattern}; else the error says it {@code must} be so. */
    String matching(Value value, String pattern, String must) {
        String text = text(value);
        if (!text.matches(pattern)) {
            throw invalid(value, key(value), "'" + text + "' must be " + must);
        }
        return text;
    }

    int number(Value value, int min, int max) {
        String text = text(value);
        if (!text.matches("\\d{1,9}") || Integer.parseInt(text) < min || Integer.parseInt(text) > max) {
            throw invalid(value, key(value), "'" + text + "' must be a whole number from " + min + " to " + max);
        }
        return Integer.parseInt(text);
    }

    Duration duration(Value value) {
        Duration duration = Inputs.parseDuration(text(value));
        if (duration == null || duration.isZero()) {
            throw invalid(value, key(value), "'" + text(value) + "' must be a duration such as 90s, 2m or 1m30s");
        }
        if (duration.compareTo(Inputs.MAX_DURATION) > 0) {
            throw invalid(value, key(value), "'" + text(value) + "' must be " + Inputs.DURATION_CAP);
        }
        return duration;
    }

    boolean bool(Value value) {
        return switch (text(value).toLowerCase(Locale.ROOT)) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw invalid(value, key(value), "'" + text(value) + "' must be true or false");
        };
    }

    private String key(Value value) {
        return section.entrySet().stream().filter(entry -> entry.getValue() == value).map(Map.Entry::getKey)
                .findFirst().orElse("?");
    }

    ActionException invalid(Value value, String key, String problem) {
        return new ActionException(DeployConfigFile.TITLE, source + ":" + value.line() + ": '" + key
                + "' of environment '" + environment + "' " + problem + ".");
    }

    /** A required setting the section lacks: {@code problem} says which, and how to add it. */
    ActionException missing(String problem) {
        return new ActionException(DeployConfigFile.TITLE, "Environment '" + environment + "' " + problem + " in "
                + source + ".");
    }

    /** Names the input when the value came from it, else the deploy-config key. */
    ActionException invalidOrInput(Input input, boolean fromInput, String key, String problem) {
        if (fromInput || !section.containsKey(key)) {
            return new ActionException("Invalid input: " + input.id(), "Input '" + input.id() + "': " + problem + ".");
        }
        return invalid(section.get(key), key, problem);
    }
}
