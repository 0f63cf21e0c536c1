package com.pyerp.deployaction.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.Inputs;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineSettingsTest {

    private static PipelineSettings settings(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return PipelineSettings.from(Inputs.from(env, Map.of()), ContextSource.WORKFLOW);
    }

    @Test
    void defaults() {
        PipelineSettings settings = settings();
        assertEquals(Command.PIPELINE, settings.command());
        assertEquals(ContextSource.WORKFLOW, settings.contextSource());
        assertEquals(PushMode.AUTO, settings.push());
        assertEquals("auto", settings.push().toString(), "as the input writes it");
        assertNull(settings.tarPath());
        assertEquals(22, settings.sshPort());
        assertEquals(Duration.ofMinutes(2), settings.healthTimeout());
        assertEquals(Duration.ofSeconds(5), settings.healthInterval());
        assertEquals(Duration.ofMinutes(10), settings.lockTimeout());
        assertEquals("HIGH", settings.scanSeverity());
    }

    @Test
    void setValuesWin() {
        PipelineSettings settings = settings("INPUT_SSH-PORT", "2222", "INPUT_HEALTH-TIMEOUT", "1m30s",
                "INPUT_OUTPUT", "tar:build/image.tar", "INPUT_CONTEXT", "git", "INPUT_SCAN-SEVERITY", "critical");
        assertEquals(2222, settings.sshPort());
        assertEquals(Duration.ofSeconds(90), settings.healthTimeout());
        assertEquals("build/image.tar", settings.tarPath());
        assertEquals(ContextSource.GIT, settings.contextSource());
        assertEquals("CRITICAL", settings.scanSeverity());
    }

    @Test
    void rejectionsNameTheInput() {
        assertEquals("Invalid input: output", assertThrows(ActionException.class,
                () -> settings("INPUT_OUTPUT", "tar:")).title());
        assertEquals("Invalid input: output", assertThrows(ActionException.class,
                () -> settings("INPUT_OUTPUT", "docker")).title());
        assertEquals("Invalid input: health-interval", assertThrows(ActionException.class,
                () -> settings("INPUT_HEALTH-INTERVAL", "0s")).title());
        assertEquals("Invalid input: command", assertThrows(ActionException.class,
                () -> settings("INPUT_COMMAND", "deploy")).title());
        assertEquals("Invalid input: format", assertThrows(ActionException.class,
                () -> settings("INPUT_FORMAT", "oci-v2")).title());
        assertEquals("Invalid input: scan-severity", assertThrows(ActionException.class,
                () -> settings("INPUT_SCAN-SEVERITY", "SEVERE")).title());
        assertEquals("Invalid input: ssh-port", assertThrows(ActionException.class,
                () -> settings("INPUT_SSH-PORT", "ssh")).title());
    }

    @Test
    void deployTrueNeedsSomewhereToDeploy() {
        ActionException e = assertThrows(ActionException.class, () -> settings("INPUT_DEPLOY", "true"));
        assertEquals("Invalid input: environment", e.title());
        assertEquals("production", settings("INPUT_DEPLOY", "true", "INPUT_ENVIRONMENT", "production").environment());
    }

    @Test
    void choicesAreTheInputsWords() {
        assertEquals(Command.SETUP_SERVER, settings("INPUT_COMMAND", "setup-server").command());
        assertEquals("setup-server", Command.SETUP_SERVER.toString());
        assertEquals(DeployMode.FALSE, settings("INPUT_DEPLOY", "FALSE").deploy());
        assertEquals(PushMode.TRUE, settings("INPUT_PUSH", "true").push());
    }
}
