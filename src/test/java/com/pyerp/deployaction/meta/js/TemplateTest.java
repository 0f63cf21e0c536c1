package com.pyerp.deployaction.meta.js;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The golden values in {@code meta/template-oracle.jsonl} come from the real handlebars 4.7.9 (metadata-action's
 * version): /tmp/golden/gen.js, run with node 20, rendered each template with {@code handlebars.compile(t)(context)}
 * against a context whose helpers mirror {@link #RESOLVER}, and recorded metadata-action's isRawStatement(t) as "raw".
 */
class TemplateTest {

    private static final Instant NOW = Instant.parse("2024-03-31T01:30:05.123Z");

    /** gen.js's context: echo prints its parameters and hash; date is metadata-action's helper at NOW. */
    private static final Template.Resolver RESOLVER = (name, params, hash) -> switch (name) {
        case "branch" -> Optional.of("main");
        case "sha" -> Optional.of("abc1234");
        case "amp" -> Optional.of("a&b<c>\"d'e`f=g");
        case "empty" -> Optional.of("");
        case "raw" -> Optional.of("v1.2.3-rc.1");
        case "echo" -> {
            StringJoiner pairs = new StringJoiner("|");
            hash.forEach((key, value) -> pairs.add(key + "=" + value));
            yield Optional.of(String.join("|", params) + ";" + pairs);
        }
        case "date" -> {
            for (String key : hash.keySet()) {
                if (!key.equals("tz")) {
                    throw new IllegalArgumentException("Unknown " + key + " attribute");
                }
            }
            yield Optional.of(MomentFormat.format(NOW, params.get(0), hash.getOrDefault("tz", "UTC")));
        }
        default -> Optional.empty();
    };

    static Stream<Arguments> oracle() {
        ObjectMapper json = new ObjectMapper();
        List<Arguments> rows = new ArrayList<>();
        try (InputStream in = TemplateTest.class.getResourceAsStream("/meta/template-oracle.jsonl");
                BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (!line.startsWith("#")) {
                    JsonNode row = json.readTree(line);
                    rows.add(Arguments.of(row.get("template").asText(), row));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("oracle")
    void rendersLikeHandlebars(String source, JsonNode row) {
        boolean raw = row.get("raw").asBoolean();
        if (row.has("output")) {
            Template template = Template.parse(source);
            assertEquals(row.get("output").asText(), template.render(RESOLVER));
            assertEquals(raw, template.isOnly("raw"));
            return;
        }
        String error = row.get("error").asText();
        Template template;
        try {
            template = Template.parse(source);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().contains(source), e.getMessage());
            assertFalse(raw, "handlebars parses it");
            return;
        }
        assertEquals(raw, template.isOnly("raw"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> template.render(RESOLVER));
        assertEquals(error, e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{{#if x}}a{{/if}}", "{{~#each x}}{{/each}}", "{{^x}}y{{/x}}", "{{/x}}", "{{ else }}",
        "{{else x}}", "{{> partial}}", "{{#> layout}}x{{/layout}}", "{{{{raw}}}} {{x}} {{{{/raw}}}}", "{{*decorator}}",
        "{{#*inline \"p\"}}x{{/inline}}"})
    void refusesBlocksPartialsAndDecoratorsWhenParsing(String source) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Template.parse(source));
        assertTrue(e.getMessage().contains("not supported") && e.getMessage().contains(source), e.getMessage());
    }

    /** Handlebars renders these, with paths, sub-expressions or its own helpers this class does not implement. */
    @ParameterizedTest
    @ValueSource(strings = {"{{a.b}}", "{{../branch}}", "{{@root.branch}}", "{{@index}}", "{{this}}", "{{.}}",
        "{{\"branch\"}}", "{{1}}", "{{true}}", "{{echo (sha)}}", "{{echo k=(sha)}}", "{{echo a}}", "{{echo k=Europe/Paris}}",
        "{{echo null}}", "{{echo undefined}}", "{{log}}", "{{log 'x'}}", "{{lookup . 'x'}}", "{{if}}", "{{with}}",
        "{{each}}", "{{unless}}", "{{[if]}}"})
    void refusesWhatItCannotEvaluateWhenRendering(String source) {
        Template template = Template.parse(source);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> template.render(RESOLVER));
        assertTrue(e.getMessage().contains("not supported") && e.getMessage().contains(source), e.getMessage());
    }

    @Test
    void looksBuiltInHelperNamesUpInTheContextWhenScoped() {
        assertEquals("log|if", Template.parse("{{this.log}}|{{./if}}").render((name, params, hash) -> Optional.of(name)));
    }

    @Test
    void answersIsOnlyLikeParseWithoutProcessingForTemplatesItCannotRender() {
        // handlebars.parseWithoutProcessing gives one MustacheStatement with parts ["raw"] for each of these
        assertTrue(Template.parse("{{@raw}}").isOnly("raw"));
        assertTrue(Template.parse("{{../raw}}").isOnly("raw"));
        assertTrue(Template.parse("{{raw (sha)}}").isOnly("raw"));
        assertFalse(Template.parse("{{raw.x}}").isOnly("raw"));
        assertFalse(Template.parse("{{\"raw\"}}").isOnly("raw"));
        assertFalse(Template.parse("{{this}}").isOnly("raw"));
        assertTrue(Template.parse("{{version}}").isOnly("version"));
        assertFalse(Template.parse("").isOnly("raw"));
    }

    @Test
    void passesLiteralsAsWrittenAndTheHashInHandlebarsOrder() {
        List<Object> seen = new ArrayList<>();
        Template.parse("{{date 'YYYY' tz=\"Europe/Paris\" a=1 b=true a=2}} {{n 01 -1.50 false}}")
                .render((name, params, hash) -> {
                    seen.add(name);
                    seen.add(params);
                    seen.add(hash);
                    return Optional.of("");
                });
        // handlebars hands helpers the numbers 1 and -1.5, and the hash {a: 1, b: true, tz: 'Europe/Paris'}
        assertEquals(List.of("date", List.of("YYYY"), Map.of("a", "1", "b", "true", "tz", "Europe/Paris"),
                "n", List.of("01", "-1.50", "false"), Map.of()), seen);
        assertEquals(List.of("a", "b", "tz"), List.copyOf(((Map<?, ?>) seen.get(2)).keySet()));
    }

    @Test
    void rendersUnknownNamesWithoutParametersAsEmpty() {
        assertEquals("[][]", Template.parse("[{{nope}}][{{nope k='v'}}]").render(RESOLVER));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Template.parse("{{nope 'v'}}").render(RESOLVER));
        assertEquals("Missing helper: \"nope\"", e.getMessage());
    }

    @Test
    void namesTheProblemAndTheTemplateInSyntaxErrors() {
        IllegalArgumentException unclosed = assertThrows(IllegalArgumentException.class, () -> Template.parse("v{{x"));
        assertEquals("Invalid template \"v{{x\": \"{{\" is never closed by \"}}\" at offset 1", unclosed.getMessage());
        IllegalArgumentException mismatched = assertThrows(IllegalArgumentException.class, () -> Template.parse("{{{x}}"));
        assertEquals("Invalid template \"{{{x}}\": expected \"}}}\" but found \"}}\" at offset 4", mismatched.getMessage());
        IllegalArgumentException nul = assertThrows(IllegalArgumentException.class, () -> Template.parse("a\0b"));
        assertTrue(nul.getMessage().contains("NUL"), nul.getMessage());
    }

    @Test
    void keepsNulInsideMustachesLikeHandlebars() {
        assertEquals("a\0b;", Template.parse("{{echo 'a\0b'}}").render(RESOLVER));
    }
}
