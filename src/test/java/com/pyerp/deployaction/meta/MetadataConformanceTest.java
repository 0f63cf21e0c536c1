package com.pyerp.deployaction.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.pyerp.deployaction.Main;
import com.pyerp.deployaction.action.RunnerFileCommands;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every recorded docker/metadata-action scenario, run through the action as a runner would run it, against
 * WireMock as the GitHub API. Where the peer's tags are valid we match it exactly; where they are not, we
 * succeed with valid tags only.
 */
class MetadataConformanceTest {

    private static WireMockServer api;

    @TempDir
    Path dir;

    @BeforeAll
    static void startApi() throws IOException {
        api = ConformanceScenarios.githubApi();
    }

    @AfterAll
    static void stopApi() {
        api.stop();
    }

    static List<ConformanceScenarios.Scenario> scenarios() {
        return ConformanceScenarios.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void matchesThePeer(ConformanceScenarios.Scenario scenario) throws IOException {
        Path output = Files.createFile(dir.resolve("output"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(log, true, StandardCharsets.UTF_8);
        int exit = Main.run(new String[0], scenario.environment(dir, api.baseUrl(), output), print, print, dir);

        assertEquals(0, exit, log.toString(StandardCharsets.UTF_8));
        Map<String, String> outputs = RunnerFileCommands.parse(Files.readString(output));
        List<String> tags = outputs.get("tags").isEmpty() ? List.of() : Arrays.asList(outputs.get("tags").split("\n"));
        if (scenario.peerTagsValid()) {
            assertEquals(scenario.expectedVersion(), outputs.get("version"), "version");
            assertEquals(scenario.expectedTags(), tags, "tags");
            List<String> labels = Arrays.stream(outputs.get("labels").split("\n"))
                    .filter(label -> !label.startsWith("org.opencontainers.image.created=")).sorted().toList();
            assertEquals(scenario.expectedLabels(), labels, "labels");
        } else {
            assertTrue(!tags.isEmpty(), "some tags");
            for (String tag : tags) {
                assertTrue(ConformanceScenarios.VALID_TAG.matcher(ConformanceScenarios.tagOf(tag)).matches(), tag);
            }
        }
    }
}
