package com.pyerp.deployaction.config;

import com.pyerp.deployaction.action.ActionException;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed access to the action's inputs. An empty value means the default declared in action.yml. Every
 * rejection names the input, the bad value (unless it is secret) and the accepted forms.
 */
public final class Inputs {

    /** Inputs whose values are never printed, and which are masked as soon as they are read. */
    public static final Set<Input> SECRETS =
            EnumSet.of(Input.GITHUB_TOKEN, Input.REGISTRY_PASSWORD, Input.SSH_KEY, Input.SSH_KEY_PASSPHRASE,
                    Input.SUDO_PASSWORD);
    /** Inputs of KEY=VALUE lines: not secrets as a whole, but their values often are, so errors never echo them. */
    private static final Set<Input> UNECHOED = EnumSet.of(Input.ENV);

    private static final Pattern DURATION = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");
    /** The longest duration any input takes: longer than any job runs, short enough to compute with. */
    public static final Duration MAX_DURATION = Duration.ofHours(24);
    /** How a rejection of a duration over {@link #MAX_DURATION} ends. */
    public static final String DURATION_CAP = "a duration of at most 24h, such as 90s, 2m, 1m30s or a number of seconds";
    private static final Pattern LIST_SEPARATOR = Pattern.compile("[\\r\\n,]+");

    private final Map<Input, String> values;

    private Inputs(Map<Input, String> values) {
        this.values = values;
    }

    /** Reads {@code INPUT_<NAME>} variables, then applies {@code overrides} (command-line values) on top. */
    public static Inputs from(Map<String, String> environment, Map<Input, String> overrides) {
        Map<Input, String> values = new EnumMap<>(Input.class);
        for (Input input : Input.values()) {
            String value = environment.get(input.environmentName());
            if (value != null) {
                values.put(input, value);
            }
        }
        values.putAll(overrides);
        return new Inputs(values);
    }

    /** The trimmed value, or the action.yml default when empty. Expression defaults ({@code ${{ … }}}) count as empty. */
    public String string(Input input) {
        String value = values.getOrDefault(input, "").trim();
        if (!value.isEmpty()) {
            return value;
        }
        String fallback = input.defaultValue();
        return fallback.contains("${{") ? "" : fallback;
    }

    /** The value exactly as given, surrounding whitespace included (for separators such as {@code sep-tags}). */
    public String untrimmed(Input input) {
        return values.getOrDefault(input, "");
    }

    public boolean isSet(Input input) {
        return !values.getOrDefault(input, "").isBlank();
    }

    /** true/false/yes/no in any case, nothing else. */
    public boolean bool(Input input) {
        String value = string(input);
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw invalid(input, "true or false (yes/no also work)");
        };
    }

    /** One of {@code allowed}, compared without case; returns the allowed spelling. */
    public String choice(Input input, String... allowed) {
        String value = string(input);
        return Arrays.stream(allowed)
                .filter(option -> option.equalsIgnoreCase(value))
                .findFirst()
                .orElseThrow(() -> invalid(input, "one of " + String.join(", ", allowed)));
    }

    /** Items split on newlines and/or commas, trimmed, blanks dropped. */
    public List<String> list(Input input) {
        return split(string(input), LIST_SEPARATOR);
    }

    /** {@code 90s}, {@code 2m}, {@code 1m30s}, {@code 1h} or a plain number of seconds, at most {@link #MAX_DURATION}. */
    public Duration duration(Input input) {
        Duration duration = parseDuration(string(input));
        if (duration == null) {
            throw invalid(input, "a duration such as 90s, 2m, 1m30s or a number of seconds");
        }
        if (duration.compareTo(MAX_DURATION) > 0) {
            throw invalid(input, DURATION_CAP);
        }
        return duration;
    }

    /**
     * {@code 90s}, {@code 2m}, {@code 1m30s}, {@code 1h} or a plain number of seconds; null for anything else. A
     * number too large to add up is returned as just over {@link #MAX_DURATION}, so that callers reject it by the cap.
     */
    public static Duration parseDuration(String value) {
        if (value.matches("\\d+")) {
            return seconds(value, 1);
        }
        Matcher matcher = DURATION.matcher(value);
        if (value.isEmpty() || !matcher.matches()) {
            return null;
        }
        return seconds(matcher.group(1), 3600).plus(seconds(matcher.group(2), 60)).plus(seconds(matcher.group(3), 1));
    }

    private static Duration seconds(String digits, long unit) {
        if (digits == null) {
            return Duration.ZERO;
        }
        // Nine digits of any unit still fit a long; the cap is far below them.
        return digits.length() > 9 ? MAX_DURATION.plusSeconds(1) : Duration.ofSeconds(Long.parseLong(digits) * unit);
    }

    public int port(Input input) {
        String value = string(input);
        if (value.matches("\\d{1,5}") && Integer.parseInt(value) >= 1 && Integer.parseInt(value) <= 65535) {
            return Integer.parseInt(value);
        }
        throw invalid(input, "a TCP port number from 1 to 65535");
    }

    /** A rejection in the standard form; secret values are never repeated. */
    public ActionException invalid(Input input, String expected) {
        return invalid(input, string(input), expected);
    }

    /** The standard rejection of {@code value}, read earlier from {@code input}. */
    public static ActionException invalid(Input input, String value, String expected) {
        // A multi-line value (layers, …) may hold secrets on other lines: callers quote the bad line.
        String shown = SECRETS.contains(input) ? "(the secret value)"
                : UNECHOED.contains(input) ? "a value that is not shown (it may hold secrets)"
                : value.contains("\n") ? "a multi-line value" : "'" + value + "'";
        return new ActionException(
                "Invalid input: " + input.id(),
                "Input '" + input.id() + "' is " + shown + ", but it must be " + expected + ". Set it in the step's"
                        + " 'with:' block (or pass --" + input.id() + "=VALUE on the command line).");
    }

    private static List<String> split(String value, Pattern separator) {
        return separator.splitAsStream(value).map(String::trim).filter(item -> !item.isEmpty()).toList();
    }

}
