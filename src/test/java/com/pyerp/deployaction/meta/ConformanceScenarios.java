package com.pyerp.deployaction.meta;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The 120 scenarios recorded from docker/metadata-action (src/test/resources/conformance, see its README): the
 * runner environment each one ran in, and the GitHub API stub it needs.
 */
final class ConformanceScenarios {

    static final String SHA = "860c1904a1ce19322e91ac35af1ab07466440c37";
    static final Pattern VALID_TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final ObjectMapper JSON = new ObjectMapper();

    record Scenario(JsonNode data) {
        String name() {
            return data.path("name").asText();
        }

        boolean peerTagsValid() {
            return data.path("peer_tags_valid").asBoolean();
        }

        String expectedVersion() {
            return data.path("expected").path("version").asText();
        }

        List<String> expectedTags() {
            return texts(data.path("expected").path("tags"));
        }

        List<String> expectedLabels() {
            return texts(data.path("expected").path("labels"));
        }

        @Override
        public String toString() {
            return name();
        }

        /** The environment a runner gives the action for this scenario, with the event file written to {@code dir}. */
        Map<String, String> environment(Path dir, String apiUrl, Path outputFile) throws IOException {
            ObjectNode event = (ObjectNode) JSON.readTree(resource("events/" + data.path("event_file").asText()));
            data.path("event_patch").fields().forEachRemaining(patch -> set(event, patch.getKey(), patch.getValue()));
            Path eventFile = dir.resolve("event.json");
            Files.writeString(eventFile, JSON.writeValueAsString(event));
            String ref = data.path("ref").asText();
            Map<String, String> env = new LinkedHashMap<>();
            env.put("GITHUB_ACTIONS", "true");
            env.put("GITHUB_OUTPUT", outputFile.toString());
            env.put("GITHUB_EVENT_NAME", data.path("event_name").asText());
            env.put("GITHUB_EVENT_PATH", eventFile.toString());
            env.put("GITHUB_REF", ref);
            env.put("GITHUB_REF_NAME", ref.replaceFirst("^[^/]+/[^/]+/", ""));
            env.put("GITHUB_REF_TYPE", ref.startsWith("refs/tags/") ? "tag" : "branch");
            env.put("GITHUB_SHA", SHA);
            env.put("GITHUB_REPOSITORY", "docker/test-docker-action");
            env.put("GITHUB_REPOSITORY_OWNER", "docker");
            env.put("GITHUB_BASE_REF", data.path("base_ref").asText(""));
            env.put("GITHUB_HEAD_REF", data.path("head_ref").asText(""));
            env.put("GITHUB_API_URL", apiUrl);
            env.put("GITHUB_SERVER_URL", "https://github.com");
            env.put("GITHUB_RUN_ID", "2188748038");
            env.put("GITHUB_RUN_NUMBER", "15");
            env.put("GITHUB_RUN_ATTEMPT", "1");
            env.put("INPUT_CONTEXT", "workflow");
            env.put("INPUT_GITHUB-TOKEN", "t0ken");
            env.put("INPUT_BUILD", "false");
            data.path("inputs").fields().forEachRemaining(input ->
                    env.put("INPUT_" + input.getKey().toUpperCase(), input.getValue().asText()));
            return env;
        }
    }

    static List<Scenario> all() {
        try (InputStream in = resource("metadata-action-scenarios.json")) {
            List<Scenario> scenarios = new ArrayList<>();
            JSON.readTree(in).forEach(node -> scenarios.add(new Scenario(node)));
            return scenarios;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** WireMock answering like the recorded stub: the repository and any commit; anything else is a 404. */
    static WireMockServer githubApi() throws IOException {
        WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        JsonNode repo = JSON.readTree(resource("events/repo.json"));
        server.stubFor(get(urlPathMatching("/.*")).atPriority(10).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"Not Found\"}")));
        server.stubFor(get(urlPathMatching("/repos/[^/]+/[^/]+")).willReturn(okJson(repo.toString())));
        server.stubFor(get(urlPathMatching("/repos/[^/]+/[^/]+/commits/[0-9a-f]+")).willReturn(okJson(
                "{\"sha\":\"" + SHA + "\",\"commit\":{\"committer\":{\"date\":\"2024-01-02T03:04:05Z\"}}}")));
        return server;
    }

    /** The tag part of a reference: after the last ':' that follows the last '/'. */
    static String tagOf(String reference) {
        int colon = reference.lastIndexOf(':');
        return colon > reference.lastIndexOf('/') ? reference.substring(colon + 1) : reference;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static void set(ObjectNode root, String dottedPath, JsonNode value) {
        String[] keys = dottedPath.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < keys.length - 1; i++) {
            node = node.has(keys[i]) ? (ObjectNode) node.get(keys[i]) : node.putObject(keys[i]);
        }
        node.set(keys[keys.length - 1], value);
    }

    private static InputStream resource(String name) {
        InputStream in = ConformanceScenarios.class.getResourceAsStream("/conformance/" + name);
        if (in == null) {
            throw new IllegalStateException("missing test resource conformance/" + name);
        }
        return in;
    }
}
