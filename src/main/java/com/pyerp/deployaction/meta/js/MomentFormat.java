package com.pyerp.deployaction.meta.js;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.HashMap;
import java.util.Locale;
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
        String key = Zones.key(zone);
        if (key.equals("constructor") || key.equals("__proto__")) {
            // moment-timezone looks zone names up in plain objects, so these find Object.prototype's members.
            throw new IllegalArgumentException("moment-timezone fails on the time zone name " + zone);
        }
        String zoneId = Zones.BY_KEY.get(key);
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
                case "z", "zz" -> zoneId == null ? "" : Abbreviations.of(zoneId, offsetSeconds,
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

    private static String zeroFill(long number, int length) {
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

    /** moment-timezone's zone names, by its lookup key, mapped to the JDK's zone ids. */
    private static final class Zones {
        static final Map<String, String> BY_KEY = load();

        static String key(String name) {
            return name.toLowerCase(Locale.ROOT).replace('/', '_');
        }

        private static Map<String, String> load() {
            Map<String, String> byKey = new HashMap<>();
            for (String id : ZoneId.getAvailableZoneIds()) {
                if (!id.startsWith("SystemV/")) {
                    byKey.put(key(id), id);
                }
            }
            // Links that moment-timezone has and the JDK does not list.
            String[] links = {"EST", "America/Panama", "MST", "America/Phoenix", "HST", "Pacific/Honolulu",
                "ROC", "Asia/Taipei", "GMT+0", "Etc/GMT", "GMT-0", "Etc/GMT"};
            for (int i = 0; i < links.length; i += 2) {
                byKey.putIfAbsent(key(links[i]), links[i + 1]);
            }
            return byKey;
        }
    }

    /**
     * moment-timezone's zone abbreviations ({@code z}). tzdata writes most as the offset ("+04", "+0530"); the
     * others are listed below, per zone, by offset in minutes and a '+' when the JDK says daylight saving time is in
     * force. Generated from moment-timezone 0.6.2's data for the periods since 1970, the later period winning when
     * two share an offset (so names are exact from 2002 on, but for Europe/Volgograd's "MSK" of 2011-2014), and
     * taking a period from 2025 on where the JDK's older tzdata disagreed as standard time. Older names, such as
     * "LMT", come out as offsets.
     */
    private static final class Abbreviations {

        static String of(String zone, int offsetSeconds, boolean dst) {
            String key = "=" + offsetSeconds / 60 + (dst ? "+" : "");
            int line = lineOf(zone);
            if (line >= 0) {
                for (String entry : TABLE.substring(line, TABLE.indexOf(' ', line)).split(",")) {
                    if (entry.endsWith(key)) {
                        return entry.substring(0, entry.length() - key.length());
                    }
                }
            }
            int minutes = Math.abs(offsetSeconds) / 60;
            return (offsetSeconds < 0 ? "-" : "+") + zeroFill(minutes / 60, 2)
                    + (minutes % 60 == 0 ? "" : zeroFill(minutes % 60, 2));
        }

        private static int lineOf(String zone) {
            for (int at = TABLE.indexOf(zone, 1); at >= 0; at = TABLE.indexOf(zone, at + 1)) {
                int end = at + zone.length();
                if (TABLE.charAt(at - 1) == ' ' && (TABLE.charAt(end) == ' ' || TABLE.charAt(end) == '\n')) {
                    return TABLE.lastIndexOf('\n', at) + 1;
                }
            }
            return -1;
        }

        private static final String TABLE = """
            -00=0 Antarctica/Rothera Antarctica/Vostok
            ACDT=630+,ACST=570 Australia/Adelaide Australia/Broken_Hill Australia/South Australia/Yancowinna
            ACST=570 Australia/Darwin Australia/North
            ADDT=-120+,ADT=-180+,AST=-240 America/Goose_Bay
            ADT=-180+,AST=-240 America/Barbados America/Glace_Bay America/Halifax America/Martinique America/Moncton \
            America/Thule Atlantic/Bermuda Canada/Atlantic
            AEDT=660+,AEST=600 Antarctica/Macquarie Australia/ACT Australia/Brisbane Australia/Canberra \
            Australia/Currie Australia/Hobart Australia/Lindeman Australia/Melbourne Australia/NSW \
            Australia/Queensland Australia/Sydney Australia/Tasmania Australia/Victoria
            AEST=600 Australia/LHI Australia/Lord_Howe
            AHDT=-540+,AHST=-600,AKDT=-480+,AKST=-540 America/Anchorage US/Alaska
            AKDT=-480+,AKST=-540 America/Yakutat
            AKDT=-480+,AKST=-540,BDT=-600+,BST=-660 America/Nome
            AKDT=-480+,AKST=-540,PDT=-420+,PST=-480 America/Juneau America/Metlakatla America/Sitka
            AST=-240 America/Anguilla America/Antigua America/Aruba America/Blanc-Sablon America/Curacao \
            America/Dominica America/Grenada America/Guadeloupe America/Kralendijk America/Lower_Princes \
            America/Marigot America/Miquelon America/Montserrat America/Port_of_Spain America/Puerto_Rico \
            America/St_Barthelemy America/St_Kitts America/St_Lucia America/St_Thomas America/St_Vincent \
            America/Tortola America/Virgin
            AST=-240,EDT=-240+,EST=-300 America/Grand_Turk
            AST=-240,EST=-300 America/Santo_Domingo
            AWDT=540+,AWST=480 Australia/Perth Australia/West
            BDT=-600+,BST=-660,HDT=-540+,HST=-600 America/Adak America/Atka US/Aleutian
            BST=60,BST=60+,GMT=0 Europe/Belfast Europe/Guernsey Europe/Isle_of_Man Europe/Jersey Europe/London GB \
            GB-Eire
            CAST=180+,CAT=120,EAT=180 Africa/Juba Africa/Khartoum
            CAT=120 Africa/Blantyre Africa/Bujumbura Africa/Gaborone Africa/Harare Africa/Kigali Africa/Lubumbashi \
            Africa/Lusaka Africa/Maputo
            CAT=120+,SAST=120,WAT=60 Africa/Windhoek
            CDT=-240+,CST=-300 America/Havana Cuba
            CDT=-300+,CST=-360 America/Belize America/Chicago America/Costa_Rica America/El_Salvador \
            America/Guatemala America/Matamoros America/Mexico_City America/Monterrey America/Rainy_River \
            America/Tegucigalpa America/Winnipeg CST6CDT Canada/Central Mexico/General US/Central
            CDT=-300+,CST=-360,EDT=-240+,EST=-300 America/Cancun America/Indiana/Petersburg \
            America/Indiana/Tell_City America/Indiana/Vincennes America/Indiana/Winamac America/Iqaluit \
            America/Kentucky/Monticello America/Pangnirtung
            CDT=-300+,CST=-360,EST=-300 America/Indiana/Knox America/Knox_IN America/Managua America/Menominee \
            America/Merida America/Rankin_Inlet America/Resolute US/Indiana-Starke
            CDT=-300+,CST=-360,EST=-300,MDT=-360+,MST=-420 America/Cambridge_Bay
            CDT=-300+,CST=-360,MDT=-360+,MST=-420 America/Bahia_Banderas America/Chihuahua America/Ciudad_Juarez \
            America/North_Dakota/Beulah America/North_Dakota/Center America/North_Dakota/New_Salem America/Ojinaga
            CDT=-300+,EDT=-240+,EST=-300 America/Indiana/Marengo America/Kentucky/Louisville America/Louisville
            CDT=540+,CST=480 Asia/Chongqing Asia/Chungking Asia/Harbin Asia/Macao Asia/Macau Asia/Shanghai \
            Asia/Taipei PRC
            CEST=120+,CET=60 Africa/Tunis Arctic/Longyearbyen Atlantic/Jan_Mayen CET Europe/Amsterdam Europe/Andorra \
            Europe/Belgrade Europe/Berlin Europe/Bratislava Europe/Brussels Europe/Budapest Europe/Busingen \
            Europe/Copenhagen Europe/Gibraltar Europe/Ljubljana Europe/Luxembourg Europe/Madrid Europe/Malta \
            Europe/Monaco Europe/Oslo Europe/Paris Europe/Podgorica Europe/Prague Europe/Rome Europe/San_Marino \
            Europe/Sarajevo Europe/Skopje Europe/Stockholm Europe/Tirane Europe/Vaduz Europe/Vatican Europe/Vienna \
            Europe/Warsaw Europe/Zagreb Europe/Zurich MET Poland
            CEST=120+,CET=60,EEST=180+,EET=120,MSD=240+,MSK=180 Europe/Vilnius
            CEST=120+,CET=60,EET=120 Africa/Tripoli Libya
            CEST=120+,CET=60,WEST=60+,WET=0 Africa/Algiers Africa/Ceuta Europe/Lisbon Portugal WET
            CST=-360 America/Regina Canada/Saskatchewan
            CST=-360,MST=-420 America/Swift_Current
            ChST=600,GDT=660+ Pacific/Guam Pacific/Saipan
            EAT=180 Africa/Addis_Ababa Africa/Asmara Africa/Asmera Africa/Dar_es_Salaam Africa/Djibouti \
            Africa/Kampala Africa/Mogadishu Africa/Nairobi Indian/Antananarivo Indian/Comoro Indian/Mayotte
            EDT=-240+,EST=-300 America/Detroit America/Fort_Wayne America/Indiana/Indianapolis America/Indiana/Vevay \
            America/Indianapolis America/Jamaica America/Montreal America/Nassau America/New_York America/Nipigon \
            America/Port-au-Prince America/Thunder_Bay America/Toronto Canada/Eastern EST5EDT Jamaica \
            US/East-Indiana US/Eastern US/Michigan
            EEST=180+,EET=120 Africa/Cairo Asia/Amman Asia/Beirut Asia/Damascus Asia/Famagusta Asia/Gaza Asia/Hebron \
            Asia/Istanbul Asia/Nicosia EET Egypt Europe/Athens Europe/Bucharest Europe/Helsinki Europe/Istanbul \
            Europe/Mariehamn Europe/Nicosia Europe/Sofia Turkey
            EEST=180+,EET=120,MSD=240+ Europe/Kaliningrad Europe/Minsk
            EEST=180+,EET=120,MSD=240+,MSK=180 Europe/Chisinau Europe/Kiev Europe/Kyiv Europe/Riga Europe/Tallinn \
            Europe/Tiraspol Europe/Uzhgorod Europe/Zaporozhye
            EEST=180+,EET=120,MSD=240+,MSK=180,MSK=240 Europe/Moscow Europe/Simferopol W-SU
            EST=-300 America/Atikokan America/Cayman America/Coral_Harbour America/Panama
            GMT=0 Africa/Abidjan Africa/Accra Africa/Bamako Africa/Banjul Africa/Bissau Africa/Conakry Africa/Dakar \
            Africa/Freetown Africa/Lome Africa/Monrovia Africa/Nouakchott Africa/Ouagadougou Africa/Timbuktu \
            America/Danmarkshavn Atlantic/Reykjavik Atlantic/St_Helena Etc/GMT Etc/GMT+0 Etc/GMT-0 Etc/GMT0 \
            Etc/Greenwich GMT GMT0 Greenwich Iceland
            GMT=0,IST=60+ Eire Europe/Dublin
            GMT=0,WAT=60 Africa/Sao_Tome
            HKST=540+,HKT=480 Asia/Hong_Kong Hongkong
            HST=-600 Pacific/Honolulu Pacific/Johnston US/Hawaii
            IDT=180+,IST=120 Asia/Jerusalem Asia/Tel_Aviv Israel
            IST=330 Asia/Calcutta Asia/Kolkata
            JST=540 Asia/Tokyo Japan
            KDT=600+,KST=540 Asia/Seoul ROK
            KST=510,KST=540 Asia/Pyongyang
            MDT=-360+,MST=-420 America/Boise America/Denver America/Edmonton America/Hermosillo America/Mazatlan \
            America/Shiprock America/Yellowknife Canada/Mountain MST7MDT Mexico/BajaSur Navajo US/Mountain
            MDT=-360+,MST=-420,PDT=-420+,PST=-480 America/Inuvik
            MSD=240+,MSK=180 Europe/Volgograd
            MSD=240+,MSK=180,MSK=240 Europe/Kirov
            MST=-420 America/Creston America/Phoenix US/Arizona
            MST=-420,PDT=-420+,PST=-480 America/Dawson_Creek America/Fort_Nelson America/Vancouver \
            America/Whitehorse Canada/Pacific Canada/Yukon
            MST=-420,PDT=-420+,PST=-480,YST=-540 America/Dawson
            NDDT=-90+,NDT=-150+,NST=-210 America/St_Johns Canada/Newfoundland
            NZDT=780+,NZST=720 Antarctica/McMurdo Antarctica/South_Pole NZ Pacific/Auckland
            PDT=-420+,PST=-480 America/Ensenada America/Los_Angeles America/Santa_Isabel America/Tijuana \
            Mexico/BajaNorte PST8PDT US/Pacific
            PDT=540+,PST=480 Asia/Manila
            PKST=360+,PKT=300 Asia/Karachi
            SAST=120 Africa/Johannesburg Africa/Maseru Africa/Mbabane
            SST=-660 Pacific/Midway Pacific/Pago_Pago Pacific/Samoa US/Samoa
            UTC=0 Etc/UCT Etc/UTC Etc/Universal Etc/Zulu UCT UTC Universal Zulu
            WAST=120+,WAT=60 Africa/Ndjamena
            WAT=60 Africa/Bangui Africa/Brazzaville Africa/Douala Africa/Kinshasa Africa/Lagos Africa/Libreville \
            Africa/Luanda Africa/Malabo Africa/Niamey Africa/Porto-Novo
            WEST=60+,WET=0 Atlantic/Azores Atlantic/Canary Atlantic/Faeroe Atlantic/Faroe Atlantic/Madeira
            WIB=420 Asia/Jakarta
            WIB=420,WITA=480 Asia/Pontianak
            WIT=540 Asia/Jayapura
            WITA=480 Asia/Makassar Asia/Ujung_Pandang
            """;
    }
}
