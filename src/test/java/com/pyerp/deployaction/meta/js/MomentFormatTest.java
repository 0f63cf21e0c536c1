package com.pyerp.deployaction.meta.js;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The golden values in {@code meta/moment-oracle.jsonl} come from the real moment 2.30.1 and moment-timezone 0.6.2
 * (metadata-action's versions): /tmp/golden/gen.js, run with node 20, recorded
 * {@code moment(new Date(epochMillis)).tz(zone).format(format)} for instants around DST changes and week-year
 * boundaries, in several zones. The expectations written below come from the same libraries.
 */
class MomentFormatTest {

    private static final Instant JULY = Instant.parse("2024-07-01T12:00:00Z");

    static Stream<Arguments> oracle() {
        ObjectMapper json = new ObjectMapper();
        List<Arguments> rows = new ArrayList<>();
        try (InputStream in = MomentFormatTest.class.getResourceAsStream("/meta/moment-oracle.jsonl");
                BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (!line.startsWith("#")) {
                    JsonNode row = json.readTree(line);
                    rows.add(Arguments.of(Instant.ofEpochMilli(row.get("epochMillis").asLong()),
                            row.get("zone").asText(), row.get("format").asText(), row.get("expected").asText()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "[{index}] {0} {1} \"{2}\"")
    @MethodSource("oracle")
    void formatsLikeMoment(Instant instant, String zone, String format, String expected) {
        assertEquals(expected, MomentFormat.format(instant, format, zone));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-500 | YYYY-MM-DD HH:mm:ss.SSS X x | UTC | 1969-12-31 23:59:59.500 -1 -500",
        // moment-timezone's data ends in 2499; the JDK would switch to summer time in 2600
        "19896537600000 | YYYY-MM-DD HH:mm Z z | Europe/Paris | 2600-07-01 01:00 +01:00 CET",
        "19880899200000 | YYYY-MM-DD HH:mm Z z | Australia/Sydney | 2600-01-01 11:00 +11:00 AEDT",
        "8640000000000000 | '' | UTC | 275760-09-13T00:00:00Z",
        "8640000000000000 | '' | Europe/Paris | Invalid date",
        "-8640000000000000 | '' | America/New_York | Invalid date",
        "8640000000000001 | '' | UTC | Invalid date",
        // links that moment-timezone has and the JDK does not list
        "1719835200000 | YYYY-MM-DD HH:mm Z z | ROC | 2024-07-01 20:00 +08:00 CST",
        "1719835200000 | YYYY-MM-DD HH:mm Z z | GMT-0 | 2024-07-01 12:00 +00:00 GMT",
        "1719835200000 | z | HST | HST",
        "1719835200000 | YYYY-MM-DD HH:mm Z z | Europe_Paris | 2024-07-01 14:00 +02:00 CEST",
        // local mean time: offsets with seconds, Z truncated to minutes
        "-2208988800000 | YYYY-MM-DDTHH:mm:ss Z | Europe/Paris | 1900-01-01T00:09:21 +00:09",
        "-2208988800000 | YYYY-MM-DDTHH:mm:ss Z | Africa/Monrovia | 1899-12-31T23:16:52 -00:43",
    })
    void formatsEdgeCasesLikeMoment(long epochMillis, String format, String zone, String expected) {
        assertEquals(expected, MomentFormat.format(Instant.ofEpochMilli(epochMillis), format, zone));
    }

    @Test
    void dropsLineBreaksAndFailsOnAFormatOfLineBreaksOnly() {
        assertEquals("20240701", MomentFormat.format(JULY, "YYYY\nMM\r\u2028DD", "UTC"));
        // moment: "Cannot read properties of null (reading 'length')"
        assertThrows(IllegalArgumentException.class, () -> MomentFormat.format(JULY, "\n", "UTC"));
    }

    @Test
    void ignoresTimeBelowTheMillisecondLikeAJavaScriptDate() {
        assertEquals("59.999 1719835259", MomentFormat.format(Instant.ofEpochSecond(1719835259, 999_999_999), "ss.SSS X", "UTC"));
        assertEquals("59.500 -1", MomentFormat.format(Instant.ofEpochSecond(-1, 500_999_999), "ss.SSS X", "UTC"));
        assertEquals("Invalid date", MomentFormat.format(Instant.MAX, "YYYY", "UTC"));
    }

    /** moment-timezone throws a TypeError for these. */
    @ParameterizedTest
    @ValueSource(strings = {"", "constructor", "__PROTO__"})
    void failsOnZoneNamesThatBreakMomentTimezone(String zone) {
        assertThrows(IllegalArgumentException.class, () -> MomentFormat.format(JULY, "YYYY", zone));
    }

    @Test
    void logsAndUsesLocalTimeForAnUnknownZone() {
        PrintStream stderr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        String formatted;
        String defaultFormat;
        try {
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            formatted = MomentFormat.format(JULY, "YYYY-MM-DDTHH:mm:ss|z|", "Europe/Paris ");
            defaultFormat = MomentFormat.format(JULY, "", "Mars/Olympus_Mons");
        } finally {
            System.setErr(stderr);
        }
        ZoneOffset offset = ZoneId.systemDefault().getRules().getOffset(JULY);
        String local = LocalDateTime.ofInstant(JULY, offset).format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss"));
        int minutes = Math.abs(offset.getTotalSeconds()) / 60;
        String z = (offset.getTotalSeconds() < 0 ? "-" : "+") + String.format("%02d:%02d", minutes / 60, minutes % 60);
        assertEquals(local + "||", formatted);
        // moment's local default format keeps the numeric offset, even at UTC
        assertEquals(local + z, defaultFormat);
        assertEquals("Moment Timezone has no data for Europe/Paris . See http://momentjs.com/timezone/docs/#/data-loading/."
                + System.lineSeparator() + "Moment Timezone has no data for Mars/Olympus_Mons. See "
                + "http://momentjs.com/timezone/docs/#/data-loading/." + System.lineSeparator(),
                log.toString(StandardCharsets.UTF_8));
    }
}
