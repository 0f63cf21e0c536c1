package com.pyerp.deployaction.meta.js;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A version as @renovate/pep440 1.0.0 (the library docker/metadata-action bundles) sees it, quirks included.
 * {@code clean} is {@code pep440.clean(value)}; {@code major}, {@code minor} and {@code patch} are
 * {@code pep440.major/minor/patch(value)} as handlebars prints them; the flags are those of {@code pep440.explain}.
 *
 * <p>The library turns every number into a JavaScript double and prints it with {@code String(n)}, so huge numbers
 * come out as {@code 1e+23} or {@code Infinity}, and it prints the local segment as an array, joined by commas.
 */
public record Pep440(String clean, String major, String minor, String patch,
        boolean isPrerelease, boolean isPostrelease, boolean isDevrelease) {

    // The library's VERSION_PATTERN, anchored, with its "i" flag (ASCII-only in a non-unicode JavaScript regex).
    // The two repeats are possessive so that long inputs cannot overflow the stack; what follows them can never
    // start with what they give back, so the matches are unchanged.
    private static final Pattern VERSION = Pattern.compile("v?(?:(?:(?<epoch>[0-9]+)!)?"
            + "(?<release>[0-9]+(?:\\.[0-9]+)*+)"
            + "(?:[-_.]?(?<preL>a|b|c|rc|alpha|beta|pre|preview)[-_.]?(?<preN>[0-9]+)?)?"
            + "(?:-(?<postN1>[0-9]+)|[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?)?"
            + "(?:[-_.]?(?<devL>dev)[-_.]?(?<devN>[0-9]+)?)?)"
            + "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*+))?", Pattern.CASE_INSENSITIVE);
    // What JavaScript's Number() accepts among the strings a local segment part can be.
    private static final Pattern JS_DECIMAL = Pattern.compile("[0-9]+(?:[eE][0-9]+)?");
    private static final Pattern JS_RADIX = Pattern.compile("0(?:[xX][0-9a-fA-F]+|[oO][0-7]+|[bB][01]+)");
    private static final List<RoundingMode> NEAREST_FIRST =
            List.of(RoundingMode.HALF_EVEN, RoundingMode.FLOOR, RoundingMode.CEILING);

    /** Empty unless @renovate/pep440's {@code valid(value)} is non-null. */
    public static Optional<Pep440> parse(String value) {
        Matcher m = VERSION.matcher(value);
        if (!m.matches()) {
            return Optional.empty();
        }
        List<String> release = Arrays.stream(m.group("release").split("\\.")).map(Pep440::number).toList();
        String pre = letterNumber(m.group("preL"), m.group("preN"));
        String postNumber = m.group("postN1") != null ? m.group("postN1") : m.group("postN2");
        String post = letterNumber(m.group("postL"), postNumber);
        String dev = letterNumber(m.group("devL"), m.group("devN"));

        StringBuilder clean = new StringBuilder();
        String epoch = m.group("epoch") == null ? "0" : number(m.group("epoch"));
        if (!epoch.equals("0")) {
            clean.append(epoch).append('!');
        }
        clean.append(String.join(".", release));
        if (pre != null) {
            clean.append(pre);
        }
        if (post != null) {
            clean.append('.').append(post);
        }
        if (dev != null) {
            clean.append('.').append(dev);
        }
        if (m.group("local") != null) {
            clean.append('+').append(Arrays.stream(m.group("local").split("[-_.]"))
                    .map(Pep440::localPart).collect(Collectors.joining(",")));
        }
        return Optional.of(new Pep440(clean.toString(), release.get(0),
                release.size() < 2 ? "0" : release.get(1), release.size() < 3 ? "0" : release.get(2),
                pre != null || dev != null, post != null, dev != null));
    }

    /** The library's normalize_letter_version, printed: "rc1", "post0", or null when absent. */
    private static String letterNumber(String letter, String number) {
        if (letter == null) {
            // Only a post-release can be a bare number ("1.0-1").
            return number == null ? null : "post" + number(number);
        }
        String spelling = switch (letter.toLowerCase(Locale.ROOT)) {
            case "alpha" -> "a";
            case "beta" -> "b";
            case "c", "pre", "preview" -> "rc";
            case "rev", "r" -> "post";
            default -> letter.toLowerCase(Locale.ROOT);
        };
        return spelling + number(number == null ? "0" : number);
    }

    /** A local segment part: a number if JavaScript's Number() reads one from it ("1e5", "0x1F", "Infinity"). */
    private static String localPart(String part) {
        if (part.equals("Infinity")) {
            return part;
        }
        if (JS_DECIMAL.matcher(part).matches()) {
            return jsString(Double.parseDouble(part));
        }
        if (JS_RADIX.matcher(part).matches()) {
            int radix = switch (Character.toLowerCase(part.charAt(1))) {
                case 'x' -> 16;
                case 'o' -> 8;
                default -> 2;
            };
            return jsString(new BigInteger(part.substring(2), radix).doubleValue());
        }
        return part.toLowerCase(Locale.ROOT);
    }

    private static String number(String digits) {
        return jsString(Double.parseDouble(digits));
    }

    /** JavaScript's {@code String(n)} for a non-negative integral double or infinity. */
    private static String jsString(double n) {
        if (Double.isInfinite(n)) {
            return "Infinity";
        }
        if (n == 0) {
            return "0";
        }
        BigDecimal shortest = shortestRoundTrip(n);
        String digits = shortest.unscaledValue().toString();
        int exponent = digits.length() - shortest.scale();
        if (exponent <= 21) {
            return digits + "0".repeat(exponent - digits.length());
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return mantissa + "e+" + (exponent - 1);
    }

    /** The fewest significant digits that read back as n, the nearest such when two qualify (ECMAScript's rule). */
    private static BigDecimal shortestRoundTrip(double n) {
        BigDecimal exact = new BigDecimal(n);
        for (int precision = 1; ; precision++) {
            for (RoundingMode mode : NEAREST_FIRST) {
                BigDecimal candidate = exact.round(new MathContext(precision, mode));
                if (candidate.doubleValue() == n) {
                    return candidate.stripTrailingZeros();
                }
            }
        }
    }
}
