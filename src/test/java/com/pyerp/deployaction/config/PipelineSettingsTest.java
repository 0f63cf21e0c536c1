package com.pyerp.deployaction.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.GitHubContext;
import com.pyerp.deployaction.action.JsonValue;
import com.pyerp.deployaction.action.Workspace;
import com.pyerp.deployaction.results.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline's switches, and the inputs each stage's settings read once, with their defaults and rejections. */
class PipelineSettingsTest {

    @TempDir
    Path workspace;

    private static Inputs inputs(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return Inputs.from(env, Map.of());
    }

    private static PipelineSettings settings(String... pairs) {
        return PipelineSettings.from(inputs(pairs), ContextSource.WORKFLOW);
    }

    private Configuration configuration(String... pairs) {
        return new Configuration(inputs(pairs), new Workspace(workspace, null), Map.of(), ContextSource.WORKFLOW);
    }

    /** Where a push of main deploys with these inputs, to a host given by ssh-host. */
    private DeployTarget target(String... pairs) throws Exception {
        Files.writeString(workspace.resolve("compose.yaml"), "services: {}\n");
        List<String> all = new ArrayList<>(List.of("INPUT_SSH-HOST", "app.example.com", "INPUT_APP-DIR", "/srv/app",
                "INPUT_HEALTH-URL", "http://127.0.0.1:8000/health/"));
        all.addAll(List.of(pairs));
        Configuration configuration = configuration(all.toArray(String[]::new));
        GitHubContext push = new GitHubContext("push", "0123456789abcdef", "refs/heads/main", "", "", "acme/pyerp",
                "octocat", "https://github.com", "http://127.0.0.1:1", "42", "1", null, JsonValue.MISSING);
        return configuration.deploy().targets().decide(push).target();
    }

    @Test
    void defaults() throws Exception {
        PipelineSettings settings = settings();
        assertEquals(Command.PIPELINE, settings.command());
        assertEquals(ContextSource.WORKFLOW, settings.contextSource());
        assertEquals(PushMode.AUTO, settings.push());
        assertEquals("auto", settings.push().toString(), "as the input writes it");
        assertNull(settings.tarPath());
        DeployTarget target = target();
        assertEquals(22, target.hosts().get(0).port());
        assertEquals(Duration.ofMinutes(2), target.health().timeout());
        assertEquals(Duration.ofSeconds(5), target.health().interval());
        assertEquals(Duration.ofMinutes(10), target.lockTimeout());
        assertEquals(Severity.HIGH, configuration().scan().threshold());
    }

    @Test
    void setValuesWin() throws Exception {
        PipelineSettings settings = settings("INPUT_OUTPUT", "tar:build/image.tar", "INPUT_CONTEXT", "git");
        DeployTarget target = target("INPUT_SSH-PORT", "2222", "INPUT_HEALTH-TIMEOUT", "1m30s");
        assertEquals(2222, target.hosts().get(0).port());
        assertEquals(Duration.ofSeconds(90), target.health().timeout());
        assertEquals("build/image.tar", settings.tarPath());
        assertEquals(ContextSource.GIT, settings.contextSource());
        assertEquals(Severity.CRITICAL, configuration("INPUT_SCAN-SEVERITY", "critical").scan().threshold());
    }

    @Test
    void rejectionsNameTheInput() throws Exception {
        assertEquals("Invalid input: output", assertThrows(ActionException.class,
                () -> settings("INPUT_OUTPUT", "tar:")).title());
        assertEquals("Invalid input: output", assertThrows(ActionException.class,
                () -> settings("INPUT_OUTPUT", "docker")).title());
        assertEquals("Invalid input: health-interval", assertThrows(ActionException.class,
                () -> target("INPUT_HEALTH-INTERVAL", "0s")).title());
        assertEquals("Invalid input: command", assertThrows(ActionException.class,
                () -> settings("INPUT_COMMAND", "deploy")).title());
        assertEquals("Invalid input: format", assertThrows(ActionException.class,
                () -> configuration("INPUT_FORMAT", "oci-v2").build()).title());
        assertEquals("Invalid input: scan-severity", assertThrows(ActionException.class,
                () -> configuration("INPUT_SCAN-SEVERITY", "SEVERE").scan()).title());
        assertEquals("Invalid input: ssh-port", assertThrows(ActionException.class,
                () -> target("INPUT_SSH-PORT", "ssh")).title());
    }

    @Test
    void theInputsOfPartsThatDoNotRunAreCheckedUpFrontToo() {
        assertEquals("Invalid input: format", assertThrows(ActionException.class,
                () -> settings("INPUT_BUILD", "false", "INPUT_FORMAT", "oci-v2")).title());
        assertEquals("Invalid input: scan-severity", assertThrows(ActionException.class,
                () -> settings("INPUT_SCAN-SEVERITY", "HIHG")).title(), "with scan: false");
        assertEquals("Invalid input: health-timeout", assertThrows(ActionException.class,
                () -> settings("INPUT_COMMAND", "setup-server", "INPUT_HEALTH-TIMEOUT", "soon")).title());
    }

    @Test
    void deployTrueNeedsSomewhereToDeploy() {
        ActionException e = assertThrows(ActionException.class, () -> settings("INPUT_DEPLOY", "true"));
        assertEquals("Invalid input: environment", e.title());
        assertEquals("production", settings("INPUT_DEPLOY", "true", "INPUT_ENVIRONMENT", "production").environment());
    }

    @Test
    void theSetupServerInputsAreNotReadByThePipeline() {
        Configuration configuration = configuration("INPUT_PROXY", "nginx", "INPUT_APP-USER", "Bad User");
        assertEquals(Command.PIPELINE, configuration.pipeline().command());
        assertEquals("Invalid input: app-user", assertThrows(ActionException.class, () -> configuration.setup("erp"))
                .title());
    }

    @Test
    void choicesAreTheInputsWords() {
        assertEquals(Command.SETUP_SERVER, settings("INPUT_COMMAND", "setup-server").command());
        assertEquals("setup-server", Command.SETUP_SERVER.toString());
        assertEquals(DeployMode.FALSE, settings("INPUT_DEPLOY", "FALSE").deploy());
        assertEquals(PushMode.TRUE, settings("INPUT_PUSH", "true").push());
    }
}
