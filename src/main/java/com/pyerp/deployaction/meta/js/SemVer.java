package com.pyerp.deployaction.meta.js;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version as node-semver 7 (the library docker/metadata-action bundles) sees it: accepted only when
 * {@code semver.valid(value)} is non-null, and then holding what {@code semver.parse(value, {loose: true})} gives.
 * For a strictly valid value the loose parse yields the same parts, so only the strict grammar is needed.
 *
 * <p>{@code raw} is the value as given, untrimmed. node-semver keeps numeric prerelease identifiers as numbers,
 * but a valid one has no leading zeros, so its text is already what node would print.
 */
public record SemVer(String raw, long major, long minor, long patch, List<String> prerelease, List<String> build) {

    private static final int MAX_LENGTH = 256;
    private static final BigInteger MAX_SAFE_INTEGER = BigInteger.valueOf(9007199254740991L);
    private static final String NUMERIC = "0|[1-9][0-9]*";
    private static final String PRERELEASE_ID = "(?:[0-9]*[a-zA-Z-][a-zA-Z0-9-]*|" + NUMERIC + ")";
    private static final String BUILD_ID = "[a-zA-Z0-9-]+";
    private static final Pattern STRICT = Pattern.compile("v?(" + NUMERIC + ")\\.(" + NUMERIC + ")\\.(" + NUMERIC + ")"
            + "(?:-(" + PRERELEASE_ID + "(?:\\." + PRERELEASE_ID + ")*))?"
            + "(?:\\+(" + BUILD_ID + "(?:\\." + BUILD_ID + ")*))?");

    public SemVer {
        prerelease = List.copyOf(prerelease);
        build = List.copyOf(build);
    }

    /** Empty unless node-semver's {@code semver.valid(value)} is non-null. */
    public static Optional<SemVer> parse(String value) {
        // node-semver checks the length before trimming.
        if (value.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        Matcher m = STRICT.matcher(jsTrim(value));
        if (!m.matches() || !isSafe(m.group(1)) || !isSafe(m.group(2)) || !isSafe(m.group(3))) {
            return Optional.empty();
        }
        return Optional.of(new SemVer(value, Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                Long.parseLong(m.group(3)), split(m.group(4)), split(m.group(5))));
    }

    /** node-semver's {@code .version}: the build metadata is left out. */
    public String version() {
        String core = major + "." + minor + "." + patch;
        return prerelease.isEmpty() ? core : core + "-" + String.join(".", prerelease);
    }

    /** node-semver's {@code semver.prerelease(value) != null}. */
    public boolean isPrerelease() {
        return !prerelease.isEmpty();
    }

    private static boolean isSafe(String digits) {
        return new BigInteger(digits).compareTo(MAX_SAFE_INTEGER) <= 0;
    }

    private static List<String> split(String identifiers) {
        return identifiers == null ? List.of() : Arrays.asList(identifiers.split("\\."));
    }

    /** JavaScript's {@code String.prototype.trim}, whose whitespace differs from Java's {@code strip}. */
    private static String jsTrim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isJsWhitespace(s.charAt(start))) {
            start++;
        }
        while (end > start && isJsWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isJsWhitespace(char c) {
        return "\t\n\u000B\f\r\uFEFF\u2028\u2029".indexOf(c) >= 0 || Character.getType(c) == Character.SPACE_SEPARATOR;
    }
}
