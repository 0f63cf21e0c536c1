package com.pyerp.deployaction.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.pyerp.deployaction.config.HealthCheck;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-round-trip health check, run by sh with stand-ins for docker and curl that log their arguments. */
class HealthCommandsTest {

    private static final HealthCheck HEALTH = new HealthCheck(URI.create("http://127.0.0.1:8000/health/"), 200,
            "erp.example.com", "", Duration.ofSeconds(30), Duration.ofSeconds(1), 3);

    @Test
    void statesThenProbePrintsTheStatesTheMarkerAndCurlsOutputWithCurlsExitStatus(@TempDir Path dir) throws Exception {
        stub(dir, "docker", "echo \"docker $*\" >> \"$CALLS\"; shift 3; for id in \"$@\"; do echo \"/app-$id running -\"; done");
        stub(dir, "curl", "printf 'curl %s\\n' \"$*\" >> \"$CALLS\"; printf 'ok\\n200'; exit 0");

        Ran ran = run(dir, List.of("a1", "b2"));

        assertEquals(0, ran.exitStatus, ran.stderr);
        assertEquals("/app-a1 running -\n/app-b2 running -\n" + HealthCommands.PROBE_FOLLOWS + "\nok\n200", ran.stdout);
        List<String> calls = Files.readAllLines(dir.resolve("calls"));
        assertEquals(2, calls.size(), String.join("\n", calls));
        assertEquals("docker inspect --format {{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}"
                + "{{else}}-{{end}} a1 b2", calls.get(0));
        assertEquals("curl " + String.join(" ", HealthCommands.probe(HEALTH).argv().subList(1,
                HealthCommands.probe(HEALTH).argv().size())), calls.get(1));
    }

    @Test
    void aFailedCurlKeepsItsExitStatusAndStderr(@TempDir Path dir) throws Exception {
        stub(dir, "docker", "echo '/app running -'");
        stub(dir, "curl", "echo 'curl: (7) Failed to connect' >&2; exit 7");

        Ran ran = run(dir, List.of("a1"));

        assertEquals(7, ran.exitStatus);
        assertEquals("/app running -\n" + HealthCommands.PROBE_FOLLOWS + "\n", ran.stdout);
        assertEquals("curl: (7) Failed to connect\n", ran.stderr);
    }

    @Test
    void aFailedInspectExitsWithItsOwnStatusAndNoRequest(@TempDir Path dir) throws Exception {
        stub(dir, "docker", "echo 'Error: No such object: a1' >&2; exit 1");
        stub(dir, "curl", "echo curl >> \"$CALLS\"");

        Ran ran = run(dir, List.of("a1"));

        assertEquals(HealthCommands.STATES_FAILED, ran.exitStatus);
        assertEquals("Error: No such object: a1\n", ran.stderr);
        assertFalse(Files.exists(dir.resolve("calls")), "curl never ran");
    }

    private record Ran(int exitStatus, String stdout, String stderr) {}

    private static Ran run(Path dir, List<String> ids) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", HealthCommands.statesThenProbe(ids, HEALTH).shellLine());
        builder.environment().put("PATH", dir + ":/usr/bin:/bin");
        builder.environment().put("CALLS", dir.resolve("calls").toString());
        Process process = builder.start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Ran(process.waitFor(), stdout, stderr);
    }

    private static void stub(Path dir, String name, String body) throws Exception {
        Path script = Files.writeString(dir.resolve(name), "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    }
}
