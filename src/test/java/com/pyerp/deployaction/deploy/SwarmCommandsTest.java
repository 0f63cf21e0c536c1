package com.pyerp.deployaction.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.registry.Credential;
import com.pyerp.deployaction.ssh.RemoteCommand;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SwarmCommandsTest {

    private static final Map<String, String> VARIABLES = new LinkedHashMap<>(Map.of("APP_IMAGE", "r/erp@sha256:1"));

    @Test
    void secretsGoOnStdinAndNamesOnlyInArgv() {
        Map<String, String> variables = new LinkedHashMap<>(VARIABLES);
        variables.put("DB_PASSWORD", "it's $ecret\nline two");
        RemoteCommand deploy = SwarmCommands.deploy("/srv/erp", "erp", true, variables,
                new Credential("ci", "ghp_token123", "input"), "ghcr.io", Duration.ofMinutes(5));
        String argv = String.join(" ", deploy.argv());
        assertFalse(argv.contains("ecret") || argv.contains("ghp_token123"), argv);
        assertTrue(deploy.argv().subList(deploy.argv().size() - 12, deploy.argv().size()).equals(List.of("docker", "stack",
                "deploy", "--with-registry-auth", "--prune", "--resolve-image", "always", "-c", "compose.yaml", "-c",
                ".deploy/swarm-defaults.yaml", "erp")), argv);
        assertEquals("APP_IMAGE=r/erp@sha256:1\nDB_PASSWORD='it'\\''s $ecret\nline two'\nPYERP_REGISTRY_PASSWORD=ghp_token123\n",
                new String(deploy.stdin(), StandardCharsets.UTF_8));
        assertEquals("/srv/erp", deploy.directory());
    }

    @Test
    void theMigrationNamesTheVariablesAndTakesTheirValuesFromTheEnvironment() {
        RemoteCommand migrate = SwarmCommands.migrate("/srv/erp", "r/erp@sha256:1", List.of("python", "manage.py", "migrate"),
                VARIABLES, Duration.ofMinutes(10));
        List<String> argv = migrate.argv();
        assertEquals(List.of("docker", "run", "--rm", "--network", "host", "--entrypoint", "python", "-e", "APP_IMAGE",
                "r/erp@sha256:1", "manage.py", "migrate"), argv.subList(argv.size() - 12, argv.size()));
        assertEquals("", argv.get(4), "no login");
    }
}
