package com.pyerp.deployaction.meta.js;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The golden values in {@code meta/pep440-oracle.jsonl} come from the real @renovate/pep440 1.0.0 (with the xregexp
 * 4.4.1 it pins, as docker/metadata-action locks them), run with node 20 by the same throw-away script as
 * {@link SemVerTest}'s, on the same inputs. For each input it wrote {@code pep440.valid(input) != null} and, when
 * valid, {@code pep440.clean(input)}, the is_prerelease, is_postrelease and is_devrelease of
 * {@code pep440.explain(input)}, and what handlebars 4.7.9 prints for {@code {{major}}}, {@code {{minor}}} and
 * {@code {{patch}}} when those are functions returning {@code pep440.major/minor/patch(input)}, exactly as
 * metadata-action's procPep440 renders them.
 */
class Pep440Test {

    static List<Arguments> oracle() throws IOException {
        return SemVerTest.oracleRows("/meta/pep440-oracle.jsonl").stream()
                .map(row -> Arguments.of(row.get("input").asText(), row))
                .toList();
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @MethodSource("oracle")
    void matchesRenovatePep440(String input, JsonNode expected) {
        var parsed = Pep440.parse(input);
        assertEquals(expected.get("valid").asBoolean(), parsed.isPresent(), "valid");
        parsed.ifPresent(v -> {
            assertEquals(expected.get("clean").asText(), v.clean(), "clean");
            assertEquals(expected.get("major").asText(), v.major(), "major");
            assertEquals(expected.get("minor").asText(), v.minor(), "minor");
            assertEquals(expected.get("patch").asText(), v.patch(), "patch");
            assertEquals(expected.get("isPrerelease").asBoolean(), v.isPrerelease(), "isPrerelease");
            assertEquals(expected.get("isPostrelease").asBoolean(), v.isPostrelease(), "isPostrelease");
            assertEquals(expected.get("isDevrelease").asBoolean(), v.isDevrelease(), "isDevrelease");
        });
    }

    @Test
    void oracleHasEnoughValidAndInvalidInputs() throws IOException {
        List<JsonNode> rows = SemVerTest.oracleRows("/meta/pep440-oracle.jsonl");
        long valid = rows.stream().filter(row -> row.get("valid").asBoolean()).count();
        assertTrue(rows.size() >= 150 && valid >= 50 && rows.size() - valid >= 50, rows.size() + " rows, " + valid);
    }

    @Test
    void reproducesTheLibrarysQuirks() {
        // The local segment is printed as a JavaScript array, and its numeric-looking parts go through Number().
        assertEquals("1.0+abc,1,255", Pep440.parse("1.0+ABC.01-0xff").orElseThrow().clean());
        assertEquals("1.0rc1e+23", Pep440.parse("1.0rc99999999999999999999999").orElseThrow().clean());
        assertEquals("Infinity", Pep440.parse("1." + "9".repeat(400)).orElseThrow().minor());
        assertEquals("1152921504606847000", Pep440.parse("1152921504606846976").orElseThrow().major());
    }
}
