package com.pyerp.deployaction.debian;

import java.math.BigInteger;
import java.util.Comparator;

/**
 * Debian's version order, as deb-version(7) and dpkg's {@code verrevcmp} define it: epoch numerically, then the
 * upstream version, then the revision; each compared as alternating non-digit runs (with {@code ~} before
 * everything, even the end, and letters before other characters) and digit runs compared as numbers.
 */
public final class DebianVersion {

    public static final Comparator<String> ORDER = DebianVersion::compare;

    private DebianVersion() {}

    public static int compare(String left, String right) {
        String[] a = split(left.trim());
        String[] b = split(right.trim());
        int epoch = new BigInteger(a[0]).compareTo(new BigInteger(b[0]));
        if (epoch != 0) {
            return epoch;
        }
        int upstream = compareRuns(a[1], b[1]);
        return upstream != 0 ? upstream : compareRuns(a[2], b[2]);
    }

    /** epoch, upstream, revision; the revision follows the last hyphen, and an absent one compares like "0". */
    private static String[] split(String version) {
        int colon = version.indexOf(':');
        String epoch = "0";
        if (colon > 0 && version.substring(0, colon).chars().allMatch(Character::isDigit)) {
            epoch = version.substring(0, colon);
            version = version.substring(colon + 1);
        }
        int hyphen = version.lastIndexOf('-');
        return hyphen < 0 ? new String[] {epoch, version, ""}
                : new String[] {epoch, version.substring(0, hyphen), version.substring(hyphen + 1)};
    }

    private static int compareRuns(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            while ((i < a.length() && !isDigit(a.charAt(i))) || (j < b.length() && !isDigit(b.charAt(j)))) {
                int left = weight(a, i);
                int right = weight(b, j);
                if (left != right) {
                    return Integer.compare(left, right);
                }
                i++;
                j++;
            }
            while (i < a.length() && a.charAt(i) == '0') {
                i++;
            }
            while (j < b.length() && b.charAt(j) == '0') {
                j++;
            }
            int firstDifference = 0;
            while (i < a.length() && isDigit(a.charAt(i)) && j < b.length() && isDigit(b.charAt(j))) {
                if (firstDifference == 0) {
                    firstDifference = Integer.compare(a.charAt(i), b.charAt(j));
                }
                i++;
                j++;
            }
            if (i < a.length() && isDigit(a.charAt(i))) {
                return 1;
            }
            if (j < b.length() && isDigit(b.charAt(j))) {
                return -1;
            }
            if (firstDifference != 0) {
                return firstDifference;
            }
        }
        return 0;
    }

    /** dpkg's order(): the end and digits 0, '~' below that, letters by code, anything else after letters. */
    private static int weight(String s, int index) {
        if (index >= s.length()) {
            return 0;
        }
        char c = s.charAt(index);
        if (isDigit(c)) {
            return 0;
        }
        if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
            return c;
        }
        return c == '~' ? -1 : c + 256;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
