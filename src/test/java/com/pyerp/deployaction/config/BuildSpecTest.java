package com.pyerp.deployaction.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The spec prints without the environment's values, and its fingerprint changes with every field. */
class BuildSpecTest {

    private static BuildSpec spec(Map<String, String> environment, List<String> entrypoint) {
        return new BuildSpec("base", List.of(), null, "docker", environment, Map.of(), List.of(), List.of(), null, null,
                entrypoint, null, List.of());
    }

    @Test
    void theFingerprintChangesWithAnEnvironmentValueAndTheEntrypointWhichToStringLeavesOut() {
        BuildSpec first = spec(Map.of("SECRET_KEY", "one"), List.of("python3"));
        assertEquals(first.fingerprint(), spec(Map.of("SECRET_KEY", "one"), List.of("python3")).fingerprint());
        assertNotEquals(first.fingerprint(), spec(Map.of("SECRET_KEY", "two"), List.of("python3")).fingerprint());
        assertNotEquals(first.fingerprint(), spec(Map.of("SECRET_KEY", "one"), List.of("gunicorn")).fingerprint());
        assertFalse(first.toString().contains("one"), first.toString());
    }
}
