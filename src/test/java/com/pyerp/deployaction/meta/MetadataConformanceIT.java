package com.pyerp.deployaction.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.pyerp.deployaction.action.RunnerFileCommands;
import com.pyerp.deployaction.testing.Processes;
import java.io.IOException;
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

/** A few recorded scenarios through the shipped jar, as its own process, with exactly a runner's environment. */
class MetadataConformanceIT {

    /** Scenario names start with these: tag, schedule, duplicate latest, invalid-by-peer, over-long branch, PR. */
    private static final List<String> CHOSEN =
            List.of("s1-000-", "s1-004-", "s1-107-", "s1-062-", "s1-031-", "s1-012-");
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
        return ConformanceScenarios.all().stream()
                .filter(scenario -> CHOSEN.stream().anyMatch(prefix -> scenario.name().startsWith(prefix)))
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void theShippedJarMatchesThePeer(ConformanceScenarios.Scenario scenario) throws Exception {
        Path output = Files.createFile(dir.resolve("output"));
        Map<String, String> env = scenario.environment(dir, api.baseUrl(), output);
        Processes.Result run = Processes.run(List.of("java", "-jar", System.getProperty("shippedJar")), env);

        assertEquals(0, run.exitCode(), run.output());
        Map<String, String> outputs = RunnerFileCommands.parse(Files.readString(output));
        List<String> tags = Arrays.asList(outputs.get("tags").split("\n"));
        if (scenario.peerTagsValid()) {
            assertEquals(scenario.expectedVersion(), outputs.get("version"));
            assertEquals(scenario.expectedTags(), tags);
        } else {
            tags.forEach(tag -> assertTrue(ConformanceScenarios.VALID_TAG.matcher(ConformanceScenarios.tagOf(tag)).matches(), tag));
        }
        assertTrue(!run.output().contains("Exception"), run.output());
    }
}
