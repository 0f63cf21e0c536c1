package com.pyerp.deployaction.scan.version;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEP 440's total order of Python versions ("Summary of permitted suffixes and relative ordering"), with its
 * normalisations (alpha/beta/c/pre/preview/rev/r spellings, separators, implicit numbers, a leading {@code v}).
 * Strings that are not PEP 440 versions sort below every valid version, and among themselves by text, as pip's
 * legacy versions did.
 */
public final class Pep440Order {

    public static final Comparator<String> ORDER = Pep440Order::compare;

    // PEP 440 appendix B's VERSION_PATTERN.
    private static final Pattern VERSION = Pattern.compile("\\s*v?(?:(?:(?<epoch>[0-9]+)!)?"
            + "(?<release>[0-9]+(?:\\.[0-9]+)*+)"
            + "(?<pre>[-_.]?(?<preL>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preN>[0-9]+)?)?"
            + "(?<post>-(?<postN1>[0-9]+)|[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?)?"
            + "(?<dev>[-_.]?dev[-_.]?(?<devN>[0-9]+)?)?)"
            + "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*+))?\\s*", Pattern.CASE_INSENSITIVE);

    private Pep440Order() {}

    /** A parsed version: every part as a comparable key; null fields mean "absent". */
    private record Key(BigInteger epoch, List<BigInteger> release, int preRank, BigInteger preNumber,
            BigInteger post, BigInteger dev, List<String> local) {}

    public static int compare(String left, String right) {
        Key a = parse(left);
        Key b = parse(right);
        if (a == null || b == null) {
            return a == null && b == null ? left.compareTo(right) : a == null ? -1 : 1;
        }
        int c = a.epoch.compareTo(b.epoch);
        if (c == 0) {
            c = compareRelease(a.release, b.release);
        }
        if (c == 0) {
            c = comparePre(a, b);
        }
        if (c == 0) {
            c = compareAbsentLowest(a.post, b.post);
        }
        if (c == 0) {
            // no dev segment sorts after any dev release
            c = a.dev == null ? (b.dev == null ? 0 : 1) : b.dev == null ? -1 : a.dev.compareTo(b.dev);
        }
        return c != 0 ? c : compareLocal(a.local, b.local);
    }

    private static Key parse(String version) {
        Matcher m = VERSION.matcher(version);
        if (!m.matches()) {
            return null;
        }
        List<BigInteger> release = new ArrayList<>(Arrays.stream(m.group("release").split("\\.")).map(BigInteger::new).toList());
        while (release.size() > 1 && release.get(release.size() - 1).signum() == 0) {
            release.remove(release.size() - 1);
        }
        int preRank = -1;
        BigInteger preNumber = null;
        if (m.group("pre") != null) {
            String letter = m.group("preL").toLowerCase(Locale.ROOT);
            preRank = letter.startsWith("a") ? 0 : letter.startsWith("b") ? 1 : 2;
            preNumber = number(m.group("preN"));
        }
        BigInteger post = null;
        if (m.group("post") != null) {
            post = number(m.group("postN1") != null ? m.group("postN1") : m.group("postN2"));
        }
        BigInteger dev = m.group("dev") != null ? number(m.group("devN")) : null;
        List<String> local = m.group("local") == null ? null
                : Arrays.stream(m.group("local").toLowerCase(Locale.ROOT).split("[-_.]")).toList();
        return new Key(m.group("epoch") == null ? BigInteger.ZERO : new BigInteger(m.group("epoch")), release,
                preRank, preNumber, post, dev, local);
    }

    private static BigInteger number(String digits) {
        return digits == null ? BigInteger.ZERO : new BigInteger(digits);
    }

    private static int compareRelease(List<BigInteger> a, List<BigInteger> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            int c = (i < a.size() ? a.get(i) : BigInteger.ZERO).compareTo(i < b.size() ? b.get(i) : BigInteger.ZERO);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** A dev release with no pre or post sorts before any pre-release; a final release after all of them. */
    private static int comparePre(Key a, Key b) {
        int rankA = preRankForOrder(a);
        int rankB = preRankForOrder(b);
        if (rankA != rankB) {
            return Integer.compare(rankA, rankB);
        }
        return a.preNumber == null || b.preNumber == null ? 0 : a.preNumber.compareTo(b.preNumber);
    }

    private static int preRankForOrder(Key key) {
        if (key.preRank >= 0) {
            return key.preRank;
        }
        return key.post == null && key.dev != null ? -1 : 3;
    }

    private static int compareAbsentLowest(BigInteger a, BigInteger b) {
        return a == null ? (b == null ? 0 : -1) : b == null ? 1 : a.compareTo(b);
    }

    /** No local part sorts first; numeric segments above alphanumeric ones; a longer one wins a tie. */
    private static int compareLocal(List<String> a, List<String> b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            String x = a.get(i);
            String y = b.get(i);
            boolean xNumeric = x.chars().allMatch(Character::isDigit);
            boolean yNumeric = y.chars().allMatch(Character::isDigit);
            int c = xNumeric && yNumeric ? new BigInteger(x).compareTo(new BigInteger(y))
                    : xNumeric != yNumeric ? (xNumeric ? 1 : -1) : x.compareTo(y);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
