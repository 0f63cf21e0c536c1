package com.pyerp.deployaction.meta.js;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.Map;

/**
 * moment.js 2.30's {@code format()} in its default 'en' locale, on a moment that moment-timezone 0.6 put in a zone:
 * {@code moment(instant).tz(zone).format(format)}, which is how docker/metadata-action renders {@code {{date}}} and
 * {@code {{commit_date}}}. Offsets come from the JDK's time-zone rules, so they match moment-timezone's own data
 * (tzdata 2026b) wherever the two tzdata releases agree.
 */
public final class MomentFormat {

    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July",
        "August", "September", "October", "November", "December"};
    private static final String[] WEEKDAYS = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
        "Saturday"};
    private static final Map<String, String> LONG_FORMATS = Map.of("LTS", "h:mm:ss A", "LT", "h:mm A",
            "L", "MM/DD/YYYY", "LL", "MMMM D, YYYY", "LLL", "MMMM D, YYYY h:mm A", "LLLL", "dddd, MMMM D, YYYY h:mm A",
            "l", "M/D/YYYY", "ll", "MMM D, YYYY", "lll", "MMM D, YYYY h:mm A", "llll", "ddd, MMM D, YYYY h:mm A");
    /** 2500-01-01T00:00:00Z: moment-timezone's data ends in 2499, later instants keep the offset in force then. */
    private static final Instant DATA_END = Instant.ofEpochSecond(16_725_225_600L);
    /** A JavaScript Date's range; beyond it moment says "Invalid date". */
    private static final long MAX_MILLIS = 8_640_000_000_000_000L;

    private MomentFormat() {}

    /**
     * {@code moment(instant).tz(zone).format(format)}. Like moment-timezone, zone names are matched ignoring case and
     * with '_' standing for '/'. For a zone it does not know, moment-timezone logs "Moment Timezone has no data
     * for …" on stderr and leaves the moment in local time; so does this, with the JVM's default zone, and then
     * {@code z} is empty. An empty or null format is moment's default: {@code YYYY-MM-DDTHH:mm:ssZ}, with a literal
     * "Z" for the offset when the zone is at UTC.
     *
     * @throws IllegalArgumentException for an empty zone name and for "constructor" or "__proto__", on which
     *     moment-timezone throws a TypeError
     */
    public static String format(Instant instant, String format, String zone) {
        if (zone == null || zone.isEmpty()) {
            throw new IllegalArgumentException("a time zone name is required");
        }
        String key = MomentZones.key(zone);
        if (key.equals("constructor") || key.equals("__proto__")) {
            // moment-timezone looks zone names up in plain objects, so these find Object.prototype's members.
            throw new IllegalArgumentException("moment-timezone fails on the time zone name " + zone);
        }
        String zoneId = MomentZones.BY_KEY.get(key);
        if (zoneId == null) {
            System.err.println("Moment Timezone has no data for " + zone
                    + ". See http://momentjs.com/timezone/docs/#/data-loading/.");
        }
        if (Math.abs(instant.getEpochSecond()) > MAX_MILLIS / 1000 || Math.abs(instant.toEpochMilli()) > MAX_MILLIS) {
            return "Invalid date";
        }
        return new Moment(instant, zoneId).format(format);
    }

    /** The fields of an instant in a zone (the JVM's default one when zoneId is null), and the tokens printing them. */
    private static final class Moment {
        private final long epochMillis;
        private final String zoneId;
        private final ZoneRules rules;
        private final Instant ruleInstant;
        private final int offsetSeconds;
        private final long localMillis;
        private final LocalDate date;
        private final int millisOfDay;

        Moment(Instant instant, String zoneId) {
            this.zoneId = zoneId;
            rules = (zoneId == null ? ZoneId.systemDefault() : ZoneId.of(zoneId)).getRules();
            ruleInstant = zoneId != null && instant.isAfter(DATA_END) ? DATA_END : instant;
            epochMillis = instant.toEpochMilli();
            offsetSeconds = rules.getOffset(ruleInstant).getTotalSeconds();
            localMillis = epochMillis + offsetSeconds * 1000L;
            date = LocalDate.ofEpochDay(Math.floorDiv(localMillis, 86_400_000L));
            millisOfDay = (int) Math.floorMod(localMillis, 86_400_000L);
        }

        String format(String format) {
            if (format == null || format.isEmpty()) {
                format = zoneId != null && offsetSeconds == 0 ? "YYYY-MM-DDTHH:mm:ss[Z]" : "YYYY-MM-DDTHH:mm:ssZ";
            }
            if (Math.abs(localMillis) > MAX_MILLIS) {
                return "Invalid date";
            }
            String expanded = expandLongFormats(format);
            int printable = 0;
            while (printable < expanded.length() && isLineTerminator(expanded.charAt(printable))) {
                printable++;
            }
            if (printable == expanded.length()) {
                // moment's format.match(tokens) then finds nothing and returns null, which it dereferences.
                throw new IllegalArgumentException("moment cannot format line breaks alone");
            }
            StringBuilder out = new StringBuilder();
            int i = 0;
            while (i < expanded.length()) {
                char c = expanded.charAt(i);
                int close = c == '[' ? bracketEnd(expanded, i) : -1;
                if (close > 0) {
                    out.append(expanded, i + 1, close);
                    i = close + 1;
                } else if (isLineTerminator(c)) {
                    i++; // moment's token regex ends in '.', which skips line terminators: they vanish
                } else if (c == '\\' && i + 1 < expanded.length() && !isLineTerminator(expanded.charAt(i + 1))) {
                    int length = tokenLength(expanded, i + 1);
                    if (expanded.charAt(i + 1) != '\\') {
                        out.append(expanded, i + 1, i + 1 + length);
                    }
                    i += 1 + length;
                } else {
                    int length = tokenLength(expanded, i);
                    String token = expanded.substring(i, i + length);
                    String value = value(token);
                    out.append(value != null ? value : c == '\\' ? "" : token);
                    i += length;
                }
            }
            return out.toString();
        }

        /** The text of a format token, or null when moment has no such token and prints it as it is. */
        private String value(String token) {
            int year = date.getYear();
            int month = date.getMonthValue();
            int day = date.getDayOfWeek().getValue() % 7;
            int hour = millisOfDay / 3_600_000;
            int minute = millisOfDay / 60_000 % 60;
            int second = millisOfDay / 1000 % 60;
            int millis = millisOfDay % 1000;
            int eraYear = year >= 1 ? year : 1 - year;
            int hour12 = hour % 12 == 0 ? 12 : hour % 12;
            return switch (token) {
                case "Y" -> year <= 9999 ? zeroFill(year, 4) : "+" + year;
                case "YY" -> zeroFill(year % 100, 2);
                case "YYYY", "YYYYY" -> zeroFill(year, token.length());
                case "YYYYYY" -> (year >= 0 ? "+" : "") + zeroFill(year, 6);
                case "y", "yy", "yyy", "yyyy" -> zeroFill(eraYear, token.length());
                case "yo" -> ordinal(eraYear);
                case "N", "NN", "NNN", "NNNNN" -> year >= 1 ? "AD" : "BC";
                case "NNNN" -> year >= 1 ? "Anno Domini" : "Before Christ";
                case "Q" -> Integer.toString((month + 2) / 3);
                case "Qo" -> ordinal((month + 2) / 3);
                case "M" -> Integer.toString(month);
                case "Mo" -> ordinal(month);
                case "MM" -> zeroFill(month, 2);
                case "MMM" -> MONTHS[month - 1].substring(0, 3);
                case "MMMM" -> MONTHS[month - 1];
                case "D" -> Integer.toString(date.getDayOfMonth());
                case "Do" -> ordinal(date.getDayOfMonth());
                case "DD" -> zeroFill(date.getDayOfMonth(), 2);
                case "DDD" -> Integer.toString(date.getDayOfYear());
                case "DDDo" -> ordinal(date.getDayOfYear());
                case "DDDD" -> zeroFill(date.getDayOfYear(), 3);
                case "d", "e" -> Integer.toString(day);
                case "do" -> ordinal(day);
                case "dd" -> WEEKDAYS[day].substring(0, 2);
                case "ddd" -> WEEKDAYS[day].substring(0, 3);
                case "dddd" -> WEEKDAYS[day];
                case "E" -> Integer.toString(day == 0 ? 7 : day);
                case "w" -> Integer.toString(week(0, 6)[1]);
                case "wo" -> ordinal(week(0, 6)[1]);
                case "ww" -> zeroFill(week(0, 6)[1], 2);
                case "W" -> Integer.toString(week(1, 4)[1]);
                case "Wo" -> ordinal(week(1, 4)[1]);
                case "WW" -> zeroFill(week(1, 4)[1], 2);
                case "gg" -> zeroFill(week(0, 6)[0] % 100, 2);
                case "gggg", "ggggg" -> zeroFill(week(0, 6)[0], token.length());
                case "GG" -> zeroFill(week(1, 4)[0] % 100, 2);
                case "GGGG", "GGGGG" -> zeroFill(week(1, 4)[0], token.length());
                case "H" -> Integer.toString(hour);
                case "HH" -> zeroFill(hour, 2);
                case "h" -> Integer.toString(hour12);
                case "hh" -> zeroFill(hour12, 2);
                case "k" -> Integer.toString(hour == 0 ? 24 : hour);
                case "kk" -> zeroFill(hour == 0 ? 24 : hour, 2);
                case "Hmm" -> hour + zeroFill(minute, 2);
                case "Hmmss" -> hour + zeroFill(minute, 2) + zeroFill(second, 2);
                case "hmm" -> hour12 + zeroFill(minute, 2);
                case "hmmss" -> hour12 + zeroFill(minute, 2) + zeroFill(second, 2);
                case "a" -> hour > 11 ? "pm" : "am";
                case "A" -> hour > 11 ? "PM" : "AM";
                case "m" -> Integer.toString(minute);
                case "mm" -> zeroFill(minute, 2);
                case "s" -> Integer.toString(second);
                case "ss" -> zeroFill(second, 2);
                case "S" -> Integer.toString(millis / 100);
                case "SS" -> zeroFill(millis / 10, 2);
                case "SSS", "SSSS", "SSSSS", "SSSSSS", "SSSSSSS", "SSSSSSSS", "SSSSSSSSS" ->
                        zeroFill(millis, 3) + "0".repeat(token.length() - 3);
                case "z", "zz" -> zoneId == null ? "" : MomentZones.abbreviation(zoneId, offsetSeconds,
                        rules.isDaylightSavings(ruleInstant));
                case "Z" -> offset(":");
                case "ZZ" -> offset("");
                case "X" -> Long.toString(Math.floorDiv(epochMillis, 1000));
                case "x" -> Long.toString(epochMillis);
                default -> null;
            };
        }

        private String offset(String separator) {
            int minutes = Math.abs(offsetSeconds) / 60;
            return (offsetSeconds < 0 ? "-" : "+") + zeroFill(minutes / 60, 2) + separator + zeroFill(minutes % 60, 2);
        }

        /**
         * moment's week of the year as {week year, week}: weeks start on {@code dow} (0 is Sunday) and week 1 holds
         * January {@code 7 + dow - doy}. The 'en' locale uses (0, 6), ISO weeks (1, 4).
         */
        private int[] week(int dow, int doy) {
            int year = date.getYear();
            int week = Math.floorDiv(date.getDayOfYear() - firstWeekOffset(year, dow, doy) - 1, 7) + 1;
            if (week < 1) {
                return new int[] {year - 1, week + weeksInYear(year - 1, dow, doy)};
            }
            int weeks = weeksInYear(year, dow, doy);
            return week > weeks ? new int[] {year + 1, week - weeks} : new int[] {year, week};
        }

        private static int firstWeekOffset(int year, int dow, int doy) {
            int firstWeekDay = 7 + dow - doy;
            int weekday = (7 + LocalDate.of(year, 1, firstWeekDay).getDayOfWeek().getValue() % 7 - dow) % 7;
            return firstWeekDay - weekday - 1;
        }

        private static int weeksInYear(int year, int dow, int doy) {
            int days = LocalDate.of(year, 1, 1).lengthOfYear();
            return (days - firstWeekOffset(year, dow, doy) + firstWeekOffset(year + 1, dow, doy)) / 7;
        }
    }

    /** Replaces LT, LTS, L…LLLL and l…llll by their 'en' formats, skipping [brackets] and \escapes like moment. */
    private static String expandLongFormats(String format) {
        if (format.indexOf('L') < 0 && format.indexOf('l') < 0) {
            return format;
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            int close = c == '[' ? bracketEnd(format, i) : -1;
            int escaped = c == '\\' ? longFormatLength(format, i + 1) : 0;
            int length = longFormatLength(format, i);
            if (close > 0) {
                out.append(format, i, close + 1);
                i = close + 1;
            } else if (escaped > 0) {
                out.append(format, i, i + 1 + escaped);
                i += 1 + escaped;
            } else if (length > 0) {
                out.append(LONG_FORMATS.get(format.substring(i, i + length)));
                i += length;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** The length of moment's /LTS|LT|LL?L?L?|l{1,4}/ at {@code i}, 0 if none. */
    private static int longFormatLength(String s, int i) {
        if (s.startsWith("LTS", i)) {
            return 3;
        }
        return s.startsWith("LT", i) ? 2 : Math.max(run(s, i, 'L', 4), run(s, i, 'l', 4));
    }

    /**
     * The length of the token at {@code i} per moment's formattingTokens regex, whose alternation order decides:
     * [Hh]mm(ss)?|Mo|MM?M?M?|Do|DDDo|DD?D?D?|ddd?d?|do?|w[o|w]?|W[o|W]?|Qo?|N{1,5}|YYYYYY|YYYYY|YYYY|YY|y{2,4}|yo?|
     * gg(ggg?)?|GG(GGG?)?|e|E|a|A|hh?|HH?|kk?|mm?|ss?|S{1,9}|x|X|zz?|ZZ?|. (so "w|" is a token that prints as is).
     */
    private static int tokenLength(String s, int i) {
        char c = s.charAt(i);
        char next = i + 1 < s.length() ? s.charAt(i + 1) : 0;
        return switch (c) {
            case 'H', 'h' -> s.startsWith("mm", i + 1) ? (s.startsWith("ss", i + 3) ? 5 : 3) : run(s, i, c, 2);
            case 'M' -> next == 'o' ? 2 : run(s, i, c, 4);
            case 'D' -> next == 'o' ? 2 : s.startsWith("DDDo", i) ? 4 : run(s, i, c, 4);
            case 'd' -> next == 'd' ? run(s, i, c, 4) : next == 'o' ? 2 : 1;
            case 'w', 'W' -> next == 'o' || next == '|' || next == c ? 2 : 1;
            case 'Q' -> next == 'o' ? 2 : 1;
            case 'y' -> next == 'y' ? run(s, i, c, 4) : next == 'o' ? 2 : 1;
            case 'Y' -> run(s, i, c, 6) == 3 ? 2 : run(s, i, c, 6);
            case 'g', 'G' -> run(s, i, c, 5) == 3 ? 2 : run(s, i, c, 5);
            case 'N' -> run(s, i, c, 5);
            case 'S' -> run(s, i, c, 9);
            case 'k', 'm', 's', 'z', 'Z' -> run(s, i, c, 2);
            default -> 1;
        };
    }

    /** How many times {@code c} repeats from {@code i}, at most {@code max}. */
    private static int run(String s, int i, char c, int max) {
        int n = 0;
        while (n < max && i + n < s.length() && s.charAt(i + n) == c) {
            n++;
        }
        return n;
    }

    /** moment's /\[[^\[]*\]/ at {@code open}: the last ']' before the next '[', or -1. */
    private static int bracketEnd(String s, int open) {
        int close = -1;
        for (int i = open + 1; i < s.length() && s.charAt(i) != '['; i++) {
            if (s.charAt(i) == ']') {
                close = i;
            }
        }
        return close;
    }

    private static boolean isLineTerminator(char c) {
        return c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029';
    }

    static String zeroFill(long number, int length) {
        String digits = Long.toString(Math.abs(number));
        return (number < 0 ? "-" : "") + "0".repeat(Math.max(0, length - digits.length())) + digits;
    }

    private static String ordinal(int number) {
        String suffix = number % 100 / 10 == 1 ? "th" : switch (number % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return number + suffix;
    }
}
