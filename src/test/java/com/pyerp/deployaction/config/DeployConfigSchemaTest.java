package com.pyerp.deployaction.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The declared deploy-config keys are what the file accepts, what docs/deploy.md lists, and what a section gets. */
class DeployConfigSchemaTest {

    @TempDir
    Path directory;

    @Test
    void theReferenceInTheDocsIsTheSchema() throws Exception {
        List<String> expected = new ArrayList<>();
        for (DeployConfigSchema.Key key : DeployConfigSchema.KEYS) {
            expected.add("| `" + key.name() + "` | " + key.type() + " | " + code(key.defaultValue()) + " | "
                    + code(key.input()) + " | " + key.description().replace("|", "\\|") + " |");
        }
        List<String> lines = Files.readAllLines(Path.of("docs/deploy.md"));
        int header = lines.indexOf("| key | type | default | input | meaning |");
        List<String> rows = new ArrayList<>();
        for (String line : lines.subList(header + 2, lines.size())) {
            if (!line.startsWith("|")) {
                break;
            }
            rows.add(line);
        }
        assertEquals(String.join("\n", expected), String.join("\n", rows), "scripts/sync-readme rewrites this table");
    }

    @Test
    void theFileAcceptsEveryDeclaredKeyAndNoOther() {
        StringBuilder section = new StringBuilder("environments:\n  production:\n");
        DeployConfigSchema.names().forEach(name -> section.append("    ").append(name).append(": x\n"));
        assertEquals(DeployConfigSchema.KEYS.size(), DeployConfigFile.parse(section.toString(), "deploy.yml")
                .section("production").size());
        ActionException unknown = assertThrows(ActionException.class, () -> DeployConfigFile.parse(section
                + "    helth-url: x\n", "deploy.yml"));
        assertTrue(unknown.getMessage().contains("'helth-url'"), unknown.getMessage());
    }

    @Test
    void aSectionWithoutAKeyGetsTheSchemasDefaultForIt() throws Exception {
        Files.writeString(directory.resolve("compose.yaml"), "services: {web: {image: '${APP_IMAGE}'}}\n");
        Files.writeString(directory.resolve("deploy.yml"), """
                environments:
                  production:
                    hosts: [erp1.example.com]
                    app-dir: /srv/pyerp
                    health-url: http://127.0.0.1:8000/health/
                """);
        Inputs inputs = Inputs.from(Map.of("INPUT_DEPLOY-CONFIG", "deploy.yml"), Map.of());
        DeployTarget target = new Configuration(inputs, new Workspace(directory, null), Map.of(), ContextSource.WORKFLOW).deploy().targets().decide(DeployTargetsTest.context("push", "refs/heads/main")).target();
        assertEquals(defaultOf("ssh-user"), target.hosts().get(0).user());
        assertEquals(defaultOf("ssh-port"), Integer.toString(target.hosts().get(0).port()));
        assertEquals(defaultOf("project"), target.project());
        assertEquals(Duration.parse("PT" + defaultOf("migrate-timeout").toUpperCase()), target.migrateTimeout());
        assertEquals("any " + target.health().expected(), defaultOf("health-status"));
        assertEquals(Duration.parse("PT" + defaultOf("health-timeout").toUpperCase()), target.health().timeout());
        assertEquals(Duration.parse("PT" + defaultOf("health-interval").toUpperCase()), target.health().interval());
        assertEquals(defaultOf("health-successes"), Integer.toString(target.health().successes()));
        assertEquals(defaultOf("batch-size"), Integer.toString(target.batchSize()), "rolling: " + defaultOf("strategy"));
        assertEquals(Duration.parse("PT" + defaultOf("lock-timeout").toUpperCase()), target.lockTimeout());
        assertEquals(defaultOf("keep-images"), Integer.toString(target.keepImages()));
        assertEquals(defaultOf("min-free-disk-mb"), Long.toString(target.minFreeDiskMb()));
        assertEquals(defaultOf("rollback"), Boolean.toString(target.rollback()));
        for (String empty : List.of("services", "env-file", "health-host", "health-body", "url")) {
            assertEquals("", defaultOf(empty), empty);
        }
        assertEquals(List.of(), target.services());
        assertEquals(null, target.envFile());
        assertEquals("", target.health().host() + target.health().body() + target.url());
    }

    private static String defaultOf(String name) {
        return DeployConfigSchema.KEYS.stream().filter(key -> key.name().equals(name)).findFirst().orElseThrow()
                .defaultValue();
    }

    private static String code(String text) {
        return text.isEmpty() ? "" : "`" + text + "`";
    }
}
