package com.pyerp.deployaction.meta.js;

import java.time.ZoneId;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** moment-timezone's side of {@link MomentFormat}: its zone names and its zone abbreviations. */
final class MomentZones {

    private MomentZones() {}

    /** moment-timezone's zone names, by its lookup key, mapped to the JDK's zone ids. */
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

    /** The {@code z} token: moment-timezone's abbreviation of {@code zone} at this offset. */
    static String abbreviation(String zone, int offsetSeconds, boolean dst) {
        return Abbreviations.of(zone, offsetSeconds, dst);
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
            return (offsetSeconds < 0 ? "-" : "+") + MomentFormat.zeroFill(minutes / 60, 2)
                    + (minutes % 60 == 0 ? "" : MomentFormat.zeroFill(minutes % 60, 2));
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
