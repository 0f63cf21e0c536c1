package com.pyerp.deployaction.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.action.ActionException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InputsTest {

    private static Inputs env(String... pairs) {
        Map<String, String> env = new java.util.HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return Inputs.from(env, Map.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", "True", "yes", "YES", "Yes"})
    void trueSpellings(String value) {
        assertTrue(env("INPUT_BUILD", value).bool(Input.BUILD));
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "FALSE", "no", "No"})
    void falseSpellings(String value) {
        assertFalse(env("INPUT_BUILD", value).bool(Input.BUILD));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "0", "on", "off", "y", "truee"})
    void otherBooleansAreRejectedNamingInputValueAndFix(String value) {
        ActionException e = assertThrows(ActionException.class, () -> env("INPUT_BUILD", value).bool(Input.BUILD));
        assertEquals("Invalid input: build", e.title());
        assertEquals("Input 'build' is '" + value + "', but it must be true or false (yes/no also work). Set it in the"
                + " step's 'with:' block (or pass --build=VALUE on the command line).", e.getMessage());
    }

    @Test
    void emptyMeansTheActionYmlDefault() {
        assertTrue(env("INPUT_BUILD", "  ").bool(Input.BUILD));
        assertEquals("auto", env().choice(Input.PUSH, "auto", "true", "false"));
        assertEquals("pyerp", env("INPUT_APP-USER", "").string(Input.APP_USER));
    }

    @Test
    void expressionDefaultsAreEmptyOffTheRunner() {
        assertEquals("", env().string(Input.GITHUB_TOKEN));
    }

    @Test
    void choicesIgnoreCaseAndListTheAllowedValues() {
        assertEquals("true", env("INPUT_PUSH", "TRUE").choice(Input.PUSH, "auto", "true", "false"));
        ActionException e = assertThrows(ActionException.class,
                () -> env("INPUT_PUSH", "maybe").choice(Input.PUSH, "auto", "true", "false"));
        assertTrue(e.getMessage().startsWith("Input 'push' is 'maybe', but it must be one of auto, true, false."));
    }

    @Test
    void listsSplitOnNewlinesAndCommas() {
        assertEquals(List.of("a", "b", "c", "d"), env("INPUT_SSH-HOST", " a, b\r\n\nc ,\nd,").list(Input.SSH_HOST));
        assertEquals(List.of(), env("INPUT_SSH-HOST", " \n ").list(Input.SSH_HOST));
    }

    @Test
    void durations() {
        assertEquals(Duration.ofSeconds(90), env("INPUT_HEALTH-TIMEOUT", "90s").duration(Input.HEALTH_TIMEOUT));
        assertEquals(Duration.ofMinutes(2), env("INPUT_HEALTH-TIMEOUT", "2m").duration(Input.HEALTH_TIMEOUT));
        assertEquals(Duration.ofSeconds(90), env("INPUT_HEALTH-TIMEOUT", "1m30s").duration(Input.HEALTH_TIMEOUT));
        assertEquals(Duration.ofSeconds(45), env("INPUT_HEALTH-TIMEOUT", "45").duration(Input.HEALTH_TIMEOUT));
        assertEquals(Duration.ofMinutes(62), env("INPUT_HEALTH-TIMEOUT", "1h2m").duration(Input.HEALTH_TIMEOUT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2 minutes", "1.5m", "-3", "m", "30s2m"})
    void badDurationsAreRejected(String value) {
        ActionException e = assertThrows(ActionException.class,
                () -> env("INPUT_LOCK-TIMEOUT", value).duration(Input.LOCK_TIMEOUT));
        assertTrue(e.getMessage().contains("'lock-timeout' is '" + value + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("90s, 2m, 1m30s"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65536", "ssh", "22a"})
    void badPortsAreRejected(String value) {
        assertThrows(ActionException.class, () -> env("INPUT_SSH-PORT", value).port(Input.SSH_PORT));
    }

    @Test
    void secretValuesAreNeverRepeatedInErrors() {
        ActionException e = assertThrows(ActionException.class,
                () -> env("INPUT_REGISTRY-PASSWORD", "hunter2-secret").bool(Input.REGISTRY_PASSWORD));
        assertFalse(e.getMessage().contains("hunter2-secret"));
        assertTrue(e.getMessage().contains("(the secret value)"));
    }

    @Test
    void commandLineValuesOverrideTheEnvironment() {
        Inputs inputs = Inputs.from(Map.of("INPUT_PUSH", "false"), Map.of(Input.PUSH, "true"));
        assertEquals("true", inputs.string(Input.PUSH));
    }
}
