package com.pyerp.deployaction.meta.js;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The golden values in {@code meta/semver-oracle.jsonl} come from the real semver 7.8.5 (the version
 * docker/metadata-action locks), run with node 20 by a throw-away script (/tmp/oracle/gen.js, not kept). For each
 * input (every refs/tags/... and value= of /work/shared/conformance/metadata-action-scenarios.json, plus adversarial
 * strings) it wrote {@code semver.valid(input) != null} and, when valid, the {@code raw}, {@code version},
 * {@code prerelease} (each element {@code String()}-ed) and {@code build} of {@code semver.parse(input, {loose: true})},
 * what handlebars 4.7.9 prints for {@code {{major}}}, {@code {{minor}}} and {@code {{patch}}} of that object, and
 * {@code semver.prerelease(input) != null}, as one {@code JSON.stringify}-ed object per line. To regenerate, npm-install
 * semver@7.8.5 and handlebars@4.7.9 in a scratch directory and print the same records for the same inputs.
 */
class SemVerTest {

    static List<Arguments> oracle() throws IOException {
        return oracleRows("/meta/semver-oracle.jsonl").stream()
                .map(row -> Arguments.of(row.get("input").asText(), row))
                .toList();
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @MethodSource("oracle")
    void matchesNodeSemver(String input, JsonNode expected) {
        var parsed = SemVer.parse(input);
        assertEquals(expected.get("valid").asBoolean(), parsed.isPresent(), "valid");
        parsed.ifPresent(v -> {
            assertEquals(expected.get("raw").asText(), v.raw(), "raw");
            assertEquals(expected.get("version").asText(), v.version(), "version");
            assertEquals(expected.get("major").asText(), Long.toString(v.major()), "major");
            assertEquals(expected.get("minor").asText(), Long.toString(v.minor()), "minor");
            assertEquals(expected.get("patch").asText(), Long.toString(v.patch()), "patch");
            assertEquals(texts(expected.get("prerelease")), v.prerelease(), "prerelease");
            assertEquals(texts(expected.get("build")), v.build(), "build");
            assertEquals(expected.get("isPrerelease").asBoolean(), v.isPrerelease(), "isPrerelease");
        });
    }

    @Test
    void oracleHasEnoughValidAndInvalidInputs() throws IOException {
        List<JsonNode> rows = oracleRows("/meta/semver-oracle.jsonl");
        long valid = rows.stream().filter(row -> row.get("valid").asBoolean()).count();
        assertTrue(rows.size() >= 150 && valid >= 50 && rows.size() - valid >= 50, rows.size() + " rows, " + valid);
    }

    @Test
    void keepsTheUntrimmedValueAsRaw() {
        SemVer v = SemVer.parse("\u00a0v1.2.3-rc.1+b.7\n").orElseThrow();
        assertEquals("\u00a0v1.2.3-rc.1+b.7\n", v.raw());
        assertEquals("1.2.3-rc.1", v.version());
        assertEquals(List.of("b", "7"), v.build());
    }

    @Test
    void rejectsWhatOnlyTheLooseGrammarAccepts() {
        assertFalse(SemVer.parse("=1.2.3").isPresent());
        assertFalse(SemVer.parse("1.2.3beta").isPresent());
        assertFalse(SemVer.parse("01.2.3").isPresent());
    }

    /** A golden file: '#' comment lines, then one JSON object per line. */
    static List<JsonNode> oracleRows(String resource) throws IOException {
        ObjectMapper json = new ObjectMapper();
        try (InputStream in = SemVerTest.class.getResourceAsStream(resource)) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.startsWith("#"))
                    .toList();
            List<JsonNode> rows = new ArrayList<>();
            for (String line : lines) {
                rows.add(json.readTree(line));
            }
            return rows;
        }
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
