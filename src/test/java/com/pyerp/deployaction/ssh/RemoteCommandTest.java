package com.pyerp.deployaction.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemoteCommandTest {

    @Test
    void theShellLineWrapsArgvInATimeoutAndNeverCarriesStdin() {
        RemoteCommand command = RemoteCommand.of("docker", "login", "--password-stdin", "-u", "bot", "ghcr.io")
                .withStdin("s3cr3t-token\n").withTimeout(Duration.ofSeconds(90));
        assertEquals("exec timeout -k 10 90 docker login --password-stdin -u bot ghcr.io", command.shellLine());
        assertFalse(command.shellLine().contains("s3cr3t"));
        assertFalse(command.toString().contains("s3cr3t"));
        assertEquals("docker login --password-stdin -u bot ghcr.io < (13 bytes on stdin)", command.display());
        assertArrayEquals("s3cr3t-token\n".getBytes(StandardCharsets.UTF_8), command.stdin());
    }

    @Test
    void directoryAndEnvironmentAreQuoted() {
        RemoteCommand command = RemoteCommand.of("docker-compose", "up", "-d").in("/srv/my app")
                .withEnv("APP_IMAGE", "r/a@sha256:1").withEnv("B", "x y").withTimeout(Duration.ofMillis(1500));
        assertEquals("cd '/srv/my app' && exec env APP_IMAGE=r/a@sha256:1 'B=x y' timeout -k 10 2 docker-compose up -d",
                command.shellLine());
        assertEquals("APP_IMAGE=r/a@sha256:1 'B=x y' docker-compose up -d", command.display());
    }

    @Test
    void commandsAreValuesAndStdinIsCopied() {
        byte[] secret = {1, 2, 3};
        RemoteCommand command = RemoteCommand.of("cat").withStdin(secret);
        secret[0] = 9;
        assertEquals(RemoteCommand.of("cat").withStdin(new byte[] {1, 2, 3}), command);
        assertNotEquals(RemoteCommand.of("cat"), command);
        assertEquals(RemoteCommand.DEFAULT_TIMEOUT, RemoteCommand.of("true").timeout());
        assertThrows(IllegalArgumentException.class, () -> RemoteCommand.of(List.of()));
        assertThrows(IllegalArgumentException.class, () -> RemoteCommand.of("x").withTimeout(Duration.ZERO));
    }

    @Test
    void failuresQuoteTheCommandAndTheLastErrorLines() {
        RemoteCommand command = RemoteCommand.of("docker", "pull", "r/a@sha256:1").withTimeout(Duration.ofMinutes(2));
        assertEquals("'docker pull r/a@sha256:1' exited with status 1: line 1 | line 2 | manifest unknown",
                RemoteShell.failure(command, new CommandResult(1, "", "line 1\nline 2\nmanifest unknown\n")).getMessage());
        assertTrue(RemoteShell.failure(command, new CommandResult(124, "", "")).getMessage()
                .endsWith("timed out on the server after 2m."));
    }
}
