package com.pyerp.deployaction.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.registry.Credential;
import com.pyerp.deployaction.ssh.RemoteCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    /** With a stand-in docker that lists the services given in SERVICES and logs each call's arguments. */
    @Test
    void theStatusListsTheServicesOnceAndInspectsTheirIds(@TempDir Path dir) throws Exception {
        Path docker = Files.writeString(dir.resolve("docker"), """
                #!/bin/sh
                echo "$*" >> "$CALLS"
                case $1-$2 in
                  service-ls) [ -z "$SERVICES" ] || printf '%s\\n' "$SERVICES" ;;
                  service-inspect) shift 4; for id in "$@"; do echo "update erp_$id completed r/erp@sha256:1 "; done ;;
                  stack-ps) echo "task erp_web.1 r/erp@sha256:1 node1 Running 5 seconds ago" ;;
                esac
                """);
        Files.setPosixFilePermissions(docker, PosixFilePermissions.fromString("rwx------"));

        String output = runStatus(dir, "web web 2/2\ndb db 1/1 (max 1 per node)");
        List<String> calls = Files.readAllLines(dir.resolve("calls"));
        assertEquals(3, calls.size(), String.join("\n", calls));
        assertTrue(calls.get(1).startsWith("service inspect --format ") && calls.get(1).endsWith(" web db"), calls.get(1));
        assertEquals("replicas web 2/2\nreplicas db 1/1 (max 1 per node)\nupdate erp_web completed r/erp@sha256:1 \n"
                + "update erp_db completed r/erp@sha256:1 \ntask erp_web.1 r/erp@sha256:1 node1 Running 5 seconds ago\n",
                output);
        assertEquals(List.of("erp_web", "erp_db"), SwarmStatus.parse(output).services().stream()
                .map(SwarmStatus.Service::name).toList());

        Files.delete(dir.resolve("calls"));
        assertEquals("", runStatus(dir, ""), "a stack with no service yet");
        assertEquals(1, Files.readAllLines(dir.resolve("calls")).size(), "no inspect without ids");
    }

    private static String runStatus(Path dir, String services) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", SwarmCommands.status("erp").shellLine());
        builder.environment().put("PATH", dir + ":/usr/bin:/bin");
        builder.environment().put("CALLS", dir.resolve("calls").toString());
        builder.environment().put("SERVICES", services);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        return output;
    }
}
