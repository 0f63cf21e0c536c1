package com.pyerp.deployaction.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShellQuotingTest {

    private static final List<String> NASTY = List.of("plain", "", "two words", "it's", "\"double\"", "$HOME", "`id`",
            "$(id)", "a;b", "a|b", "a&&b", "*", "~", "new\nline", "tab\there", "back\\slash", "-n", "'", "''", "é ü",
            "!history", "{a,b}", "#comment", "a=b c", "=sh", "=", "==x");

    @Test
    void safeWordsStayBareAndTheRestIsSingleQuoted() {
        assertEquals("docker compose -f /srv/app/compose.yaml APP_IMAGE=r.io/a@sha256:ab up",
                ShellQuoting.join(List.of("docker", "compose", "-f", "/srv/app/compose.yaml", "APP_IMAGE=r.io/a@sha256:ab", "up")));
        assertEquals("''", ShellQuoting.quote(""));
        assertEquals("'it'\\''s'", ShellQuoting.quote("it's"));
        assertEquals("'$(id)'", ShellQuoting.quote("$(id)"));
        assertEquals("'=sh'", ShellQuoting.quote("=sh"));
    }

    @Test
    void everyArgumentReachesTheProgramUnchangedThroughRealShells() throws Exception {
        for (String shell : List.of("/bin/sh", "/bin/bash", "/bin/zsh")) {
            String line = "printf '%s\\0' " + ShellQuoting.join(NASTY);
            Process process = new ProcessBuilder(shell, "-c", line).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, process.waitFor());
            assertEquals(NASTY, List.of(output.substring(0, output.length() - 1).split("\0", -1)), shell);
        }
    }

    @Test
    void nulCannotBePassed() {
        assertThrows(IllegalArgumentException.class, () -> ShellQuoting.quote("a\0b"));
    }
}
