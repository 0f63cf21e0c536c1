package com.pyerp.deployaction.imagefs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Which image of a multi-platform index is scanned: linux on the runner's architecture, else the first. */
class RegistryImageSourceTest {

    private static JsonNode index(String... platforms) throws Exception {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < platforms.length; i++) {
            String[] parts = platforms[i].split("/");
            json.append(i == 0 ? "" : ",").append("{\"digest\":\"sha256:").append(i).append("\",\"platform\":{\"os\":\"")
                    .append(parts[0]).append("\",\"architecture\":\"").append(parts[1]).append("\"}}");
        }
        return new ObjectMapper().readTree(json.append("]").toString());
    }

    @Test
    void theRunnersPlatformWins() throws Exception {
        String runner = "linux/" + RegistryImageSource.runnerArchitecture();
        JsonNode chosen = RegistryImageSource.choosePlatform(index("linux/s390x", runner, "windows/amd64"));
        assertEquals("sha256:1", chosen.path("digest").asText());
    }

    @Test
    void otherwiseTheFirst() throws Exception {
        JsonNode chosen = RegistryImageSource.choosePlatform(index("linux/s390x", "linux/ppc64le"));
        assertEquals("sha256:0", chosen.path("digest").asText());
    }
}
