package com.pyerp.deployaction.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonValueTest {

    @Test
    void readsMembersArraysAndScalars() throws IOException {
        JsonValue value = JsonValue.parse(" {\"a\": {\"b\": [1, -2.5e3, true, null, \"x\\\"\\u00e9\\n\"]}, \"n\": null} ");
        List<String> texts = new ArrayList<>();
        value.path("a").path("b").forEach(element -> texts.add(element.asText("<none>")));
        assertEquals(List.of("1", "-2.5e3", "true", "<none>", "x\"é\n"), texts);
        assertTrue(value.path("a").path("b").isArray());
        assertTrue(value.path("nope").path("deeper").isMissing());
        assertFalse(value.path("n").isPresent());
        assertFalse(value.path("n").isMissing());
        assertNull(value.path("a").asText(null), "objects have no text");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"a\" 1}", "[1,]", "{\"a\":01}", "\"unterminated", "[1] 2", "tru", "{\"a\":\"\\q\"}"})
    void rejectsBrokenDocuments(String text) {
        assertThrows(IOException.class, () -> JsonValue.parse(text));
    }

    @Test
    void errorsSayWhere() {
        IOException e = assertThrows(IOException.class, () -> JsonValue.parse("{\n  \"a\": ,\n}"));
        assertEquals("unexpected character ',' at line 2, column 8", e.getMessage());
    }

    @Test
    void agreesWithJacksonOnTheRecordedEventPayloads() throws IOException {
        for (String name : List.of("event_push_dev.json", "event_pull_request.json", "event_tag_v1.1.1.json",
                "event_schedule.json", "repo.json")) {
            try (InputStream ours = getClass().getResourceAsStream("/conformance/events/" + name);
                    InputStream theirs = getClass().getResourceAsStream("/conformance/events/" + name)) {
                JsonValue value = JsonValue.read(ours);
                var jackson = new ObjectMapper().readTree(theirs);
                assertEquals(jackson.path("repository").path("default_branch").asText(""),
                        value.path("repository").path("default_branch").asText(""), name);
                assertEquals(jackson.path("pull_request").path("head").path("sha").asText(""),
                        value.path("pull_request").path("head").path("sha").asText(""), name);
                assertEquals(jackson.path("license").path("spdx_id").asText(""),
                        value.path("license").path("spdx_id").asText(""), name);
            }
        }
    }
}
