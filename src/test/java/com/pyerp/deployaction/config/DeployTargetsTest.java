package com.pyerp.deployaction.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.GitHubContext;
import com.pyerp.deployaction.action.JsonValue;
import com.pyerp.deployaction.action.Workspace;
import com.pyerp.deployaction.deploy.ComposeFile;
import com.pyerp.deployaction.ssh.SshEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployTargetsTest {

    static final String CONFIG = """
            environments:
              staging:
                branches: [dev]
                hosts: [staging.example.com]
                app-dir: /srv/pyerp
                services: [web]
                migrate-command: python3 manage.py migrate --noinput
                health-url: http://127.0.0.1:8000/health/
                health-host: staging.example.com
                health-timeout: 90s
                url: https://staging.example.com
              production:
                branches: [prod]
                tags: ["v*"]
                hosts: erp1.example.com, deploy2@erp2.example.com:2200
                ssh-user: ops
                ssh-port: 2222
                app-dir: /srv/pyerp/
                env-file: prod.env
                strategy: parallel
              other:
                branches: ["feature/*"]
                hosts: [h]
                app-dir: /srv/x
            """;

    @TempDir
    Path directory;

    @BeforeEach
    void files() throws Exception {
        Files.createDirectories(directory.resolve("deploy"));
        Files.writeString(directory.resolve("deploy/compose.yaml"), "services: {}\n");
        Files.writeString(directory.resolve("deploy/prod.env"), "A=1\n");
        Files.writeString(directory.resolve("deploy/deploy.yml"), CONFIG);
    }

    static GitHubContext context(String event, String ref) {
        return new GitHubContext(event, "0123456789abcdef", ref, "", "", "acme/pyerp", "octocat", "https://github.com",
                "http://127.0.0.1:1", "42", "1", null, JsonValue.MISSING);
    }

    DeployTargets.Decision decide(String ref, String... pairs) {
        return decide(context("push", ref), pairs);
    }

    DeployTargets.Decision decide(GitHubContext context, String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("INPUT_DEPLOY-CONFIG", "deploy/deploy.yml"));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        env.values().removeIf(String::isEmpty);
        Inputs inputs = Inputs.from(env, Map.of());
        return new Configuration(inputs, new Workspace(directory, null), Map.of(), ContextSource.WORKFLOW).deploy().targets().decide(context);
    }

    @Test
    void devDeploysToStagingWithTheSectionsSettings() {
        DeployTarget target = decide("refs/heads/dev").target();
        assertEquals("staging", target.environment());
        assertEquals(List.of(new SshEndpoint("deploy", "staging.example.com", 22)), target.hosts());
        assertEquals("/srv/pyerp", target.appDir());
        assertEquals("", target.project());
        assertEquals(directory.resolve("deploy/compose.yaml"), target.composeFile());
        assertNull(target.envFile());
        assertEquals(List.of("python3", "manage.py", "migrate", "--noinput"), target.migrateCommand());
        assertEquals("web", target.migrateService());
        assertEquals("staging.example.com", target.health().host());
        assertEquals(Duration.ofSeconds(90), target.health().timeout());
        assertEquals("2xx", target.health().expected());
        assertEquals(3, target.health().successes());
        assertEquals("https://staging.example.com", target.url());
        assertEquals(1, target.batchSize());
        assertEquals(Duration.ofMinutes(10), target.lockTimeout());
    }

    @Test
    void prodAndReleaseTagsDeployToProduction() {
        DeployTarget target = decide("refs/heads/prod").target();
        assertEquals("production", target.environment());
        assertEquals(List.of(new SshEndpoint("ops", "erp1.example.com", 2222), new SshEndpoint("deploy2", "erp2.example.com", 2200)),
                target.hosts());
        assertEquals("/srv/pyerp", target.appDir());
        assertEquals(directory.resolve("deploy/prod.env"), target.envFile());
        assertEquals(2, target.batchSize());
        assertNull(target.health());
        assertEquals("production", decide("refs/tags/v1.2.3").target().environment());
        assertEquals("other", decide("refs/heads/feature/x").target().environment());
    }

    @Test
    void otherRefsAndPullRequestsDoNotDeploy() {
        assertEquals("skipped (the ref refs/heads/main maps to no environment in deploy/deploy.yml)",
                decide("refs/heads/main").reason());
        assertNull(decide(context("pull_request", "refs/pull/1/merge")).target());
        assertNull(decide("refs/tags/1.0").target());
        assertEquals("skipped (deploy: false)", decide("refs/heads/dev", "INPUT_DEPLOY", "false").reason());
    }

    @Test
    void theEnvironmentInputSelectsAndDeployTrueForces() {
        assertEquals("skipped (the ref refs/heads/main does not trigger environment 'staging')",
                decide("refs/heads/main", "INPUT_ENVIRONMENT", "staging").reason());
        assertEquals("staging", decide("refs/heads/main", "INPUT_ENVIRONMENT", "staging", "INPUT_DEPLOY", "true")
                .target().environment());
        ActionException unknown = assertThrows(ActionException.class, () -> decide("refs/heads/dev", "INPUT_ENVIRONMENT", "prod"));
        assertEquals("Invalid input: environment", unknown.title());
        assertTrue(unknown.getMessage().contains("has no such section; it has staging, production, other"), unknown.getMessage());
    }

    @Test
    void inputsOverrideTheSection() {
        DeployTarget target = decide("refs/heads/dev", "INPUT_SSH-HOST", "a.example.com\nb.example.com", "INPUT_SSH-PORT", "2201",
                "INPUT_APP-DIR", "/opt/app", "INPUT_HEALTH-TIMEOUT", "5m", "INPUT_MIGRATE-COMMAND", "", "INPUT_LOCK-TIMEOUT", "1m")
                .target();
        assertEquals(List.of(new SshEndpoint("deploy", "a.example.com", 2201), new SshEndpoint("deploy", "b.example.com", 2201)),
                target.hosts());
        assertEquals("/opt/app", target.appDir());
        assertEquals(Duration.ofMinutes(5), target.health().timeout());
        assertEquals(Duration.ofMinutes(1), target.lockTimeout());
    }

    @Test
    void withoutAConfigTheInputsDescribeOneEnvironment() throws Exception {
        Files.writeString(directory.resolve("compose.yaml"), "services: {}\n");
        DeployTargets.Decision decision = decide("refs/heads/main", "INPUT_DEPLOY-CONFIG", "", "INPUT_SSH-HOST", "127.0.0.1",
                "INPUT_APP-DIR", "/srv/app");
        assertEquals("production", decision.target().environment());
        assertEquals(directory.resolve("compose.yaml"), decision.target().composeFile());
        assertEquals("deploy to production (1 host)", decision.reason());
        assertNull(decide(context("pull_request", "refs/pull/1/merge"), "INPUT_DEPLOY-CONFIG", "", "INPUT_SSH-HOST", "h",
                "INPUT_APP-DIR", "/srv/app").target());
        assertEquals("skipped (no deploy-config or ssh-host)", decide("refs/heads/main", "INPUT_DEPLOY-CONFIG", "").reason());
    }

    @Test
    void configMistakesNameTheFileLineAndKey() throws Exception {
        assertConfigError("environments:\n  staging:\n    hosts: [h]\n    app-dir: /srv/a\n    helth-url: http://x/\n",
                "deploy/deploy.yml:5: environment 'staging' has the unknown key 'helth-url'. Known keys:");
        assertConfigError("environment:\n  staging: {}\n", "deploy/deploy.yml:1: unknown top-level key 'environment'");
        assertConfigError("environments:\n  staging:\n    branches: [dev]\n    app-dir: /srv/a\n",
                "Environment 'staging' has no hosts. Add 'hosts:' to its section in deploy/deploy.yml, or set 'ssh-host'.");
        assertConfigError("environments:\n  staging:\n    hosts: [h]\n", "Environment 'staging' has no app-dir.");
        assertConfigError("environments:\n  staging:\n    hosts: [h]\n    app-dir: srv\n",
                "deploy/deploy.yml:4: 'app-dir' of environment 'staging' 'srv' must be an absolute directory");
        assertConfigError("environments:\n  staging:\n    hosts: [h]\n    app-dir: //\n",
                "deploy/deploy.yml:4: 'app-dir' of environment 'staging' '//' must be an absolute directory");
        assertConfigError("environments:\n  staging:\n    hosts: [h]\n    app-dir: /srv/./a\n",
                "deploy/deploy.yml:4: 'app-dir' of environment 'staging' '/srv/./a' must be written plainly");
        assertConfigError("environments:\n  staging:\n    hosts: [h]\n    app-dir: /etc\n",
                "deploy/deploy.yml:4: 'app-dir' of environment 'staging' '/etc' is a system directory");
        assertConfigError("environments:\n  staging:\n    hosts: [h]\n    app-dir: /srv/a\n    ssh-port: 99999\n",
                "deploy/deploy.yml:5: 'ssh-port' of environment 'staging' '99999' must be a whole number from 1 to 65535.");
        assertConfigError("environments:\n  staging:\n    hosts: [h]\n    app-dir: /srv/a\n    health-timeout: soon\n    health-url: http://h/\n",
                "deploy/deploy.yml:5: 'health-timeout' of environment 'staging' 'soon' must be a duration");
        assertConfigError("environments:\n  staging:\n    hosts: [h]\n    app-dir: /srv/a\n    lock-timeout: 99999999999999999999\n",
                "deploy/deploy.yml:5: 'lock-timeout' of environment 'staging' '99999999999999999999' must be a duration of"
                        + " at most 24h");
        assertConfigError("environments:\n  staging:\n    hosts: [h]\n    app-dir: /srv/a\n    strategy: canary\n",
                "deploy/deploy.yml:5: 'strategy' of environment 'staging' 'canary' must be parallel or rolling.");
        assertConfigError("environments:\n  staging:\n    hosts: [h]\n    app-dir: /srv/a\n    health-url: localhost:8000/health\n",
                "'health-url' of environment 'staging' 'localhost:8000/health' must be an http:// or https:// URL");
        assertConfigError("environments:\n  staging:\n    hosts: [h]\n    app-dir: /srv/a\n    env-file: missing.env\n",
                "deploy/deploy.yml:5: 'env-file' of environment 'staging' 'missing.env' must be a file (");
        assertConfigError("environments:\n  staging:\n    hosts: ['a b']\n    app-dir: /srv/a\n",
                "deploy/deploy.yml:3: 'hosts' of environment 'staging' 'a b' is not [user@]host[:port]");
        assertConfigError("environments:\n  staging:\n    hosts: [h]\n   app-dir: /srv/a\n", "deploy/deploy.yml:4: invalid YAML");
        assertConfigError("environments:\n  a:\n    branches: [dev]\n    hosts: [h]\n    app-dir: /a\n  b:\n    branches: ['d*']\n",
                "deploy/deploy.yml: the ref refs/heads/dev matches the environments a and b");
    }

    @Test
    void aServiceNameThatLooksLikeAnOptionIsRefused() {
        ActionException e = assertThrows(ActionException.class, () -> ComposeFile.parse(
                "services:\n  '-v':\n    image: ${APP_IMAGE}\n", "compose.yaml"));
        assertEquals("Invalid input: compose-file", e.title());
        assertTrue(e.getMessage().startsWith("compose.yaml has the service '-v', whose name starts with '-'"), e.getMessage());
    }

    @Test
    void aDeployConfigOutsideTheWorkspaceIsRefused() throws Exception {
        Path outside = Files.writeString(Files.createTempFile("pyerp-outside-", ".yml"), "environments: {}\n");
        try {
            ActionException e = assertThrows(ActionException.class, () -> decide("refs/heads/main", "INPUT_DEPLOY-CONFIG",
                    outside.toString()));
            assertEquals("Invalid input: deploy-config", e.title());
            assertTrue(e.getMessage().contains("must be a file of the repository: it leads outside the workspace"),
                    e.getMessage());
        } finally {
            Files.delete(outside);
        }
    }

    private void assertConfigError(String yaml, String expected) throws Exception {
        Files.writeString(directory.resolve("deploy/deploy.yml"), yaml);
        ActionException e = assertThrows(ActionException.class, () -> decide("refs/heads/dev", "INPUT_ENVIRONMENT",
                yaml.contains("  a:") ? "" : "staging"));
        assertTrue(e.getMessage().startsWith(expected) || e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.title().equals(DeployConfigFile.TITLE) || e.title().startsWith("Invalid input"), e.title());
    }

    @Test
    void theExampleConfigurationIsValid() throws Exception {
        Path project = Path.of("").toAbsolutePath();
        Inputs inputs = Inputs.from(Map.of("INPUT_DEPLOY-CONFIG", "examples/pyerp/deploy.yml"), Map.of());
        DeployTarget production = new Configuration(inputs, new Workspace(project, null), Map.of(), ContextSource.WORKFLOW).deploy().targets()
                .decide(context("push", "refs/heads/prod")).target();
        assertEquals("production", production.environment());
        assertEquals(2, production.hosts().size());
        assertEquals(1, production.batchSize(), "one host after the other");
        assertEquals(List.of("python3", "manage.py", "migrate", "--noinput"), production.migrateCommand());
        assertEquals("erp.example.com", production.health().host());
        ComposeFile compose = ComposeFile.parse(Files.readString(production.composeFile()), "compose.yaml");
        assertEquals(List.of("web"), compose.appServices());
        assertEquals("staging", new Configuration(inputs, new Workspace(project, null), Map.of(), ContextSource.WORKFLOW).deploy().targets()
                .decide(context("push", "refs/heads/dev")).target().environment());
    }
}
