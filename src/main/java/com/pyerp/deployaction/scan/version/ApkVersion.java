package com.pyerp.deployaction.scan.version;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Alpine's apk version order: numbers, an optional letter, suffixes ({@code _alpha < _beta < _pre < _rc <}
 * none {@code < _cvs < _svn < _git < _hg < _p}), then the {@code -rN} package revision. Unparseable versions sort
 * below parseable ones, by text.
 */
public final class ApkVersion {

    public static final Comparator<String> ORDER = ApkVersion::compare;

    private static final Pattern VERSION =
            Pattern.compile("(\\d+(?:\\.\\d+)*)([a-z])?((?:_(?:alpha|beta|pre|rc|cvs|svn|git|hg|p)\\d*)*)(?:-r(\\d+))?");
    private static final Pattern SUFFIX = Pattern.compile("_(alpha|beta|pre|rc|cvs|svn|git|hg|p)(\\d*)");
    private static final List<String> SUFFIX_ORDER = List.of("alpha", "beta", "pre", "rc", "", "cvs", "svn", "git", "hg", "p");

    private ApkVersion() {}

    private record Key(List<BigInteger> numbers, int letter, List<long[]> suffixes, BigInteger revision) {}

    public static int compare(String left, String right) {
        Key a = parse(left.trim());
        Key b = parse(right.trim());
        if (a == null || b == null) {
            return a == null && b == null ? left.compareTo(right) : a == null ? -1 : 1;
        }
        for (int i = 0; i < Math.max(a.numbers.size(), b.numbers.size()); i++) {
            if (i >= a.numbers.size() || i >= b.numbers.size()) {
                return i >= a.numbers.size() ? -1 : 1;
            }
            int c = a.numbers.get(i).compareTo(b.numbers.get(i));
            if (c != 0) {
                return c;
            }
        }
        if (a.letter != b.letter) {
            return Integer.compare(a.letter, b.letter);
        }
        for (int i = 0; i < Math.max(a.suffixes.size(), b.suffixes.size()); i++) {
            long[] x = i < a.suffixes.size() ? a.suffixes.get(i) : new long[] {SUFFIX_ORDER.indexOf(""), 0};
            long[] y = i < b.suffixes.size() ? b.suffixes.get(i) : new long[] {SUFFIX_ORDER.indexOf(""), 0};
            int c = x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]);
            if (c != 0) {
                return c;
            }
        }
        return a.revision.compareTo(b.revision);
    }

    private static Key parse(String version) {
        Matcher m = VERSION.matcher(version);
        if (!m.matches()) {
            return null;
        }
        List<BigInteger> numbers = new ArrayList<>();
        for (String part : m.group(1).split("\\.")) {
            numbers.add(new BigInteger(part));
        }
        List<long[]> suffixes = new ArrayList<>();
        Matcher s = SUFFIX.matcher(m.group(3));
        while (s.find()) {
            suffixes.add(new long[] {SUFFIX_ORDER.indexOf(s.group(1)), s.group(2).isEmpty() ? 0 : Long.parseLong(s.group(2))});
        }
        return new Key(numbers, m.group(2) == null ? 0 : m.group(2).charAt(0), suffixes,
                m.group(4) == null ? BigInteger.ZERO : new BigInteger(m.group(4)));
    }
}
