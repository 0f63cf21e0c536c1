package com.pyerp.deployaction.ssh;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandResultTest {

    @Test
    void aServerWithoutTimeoutIsToldApartFromAMissingProgram() {
        for (String shell : List.of("sh: 1: timeout: not found", "bash: line 1: timeout: command not found",
                "zsh:1: command not found: timeout", "timeout: not found")) {
            assertTrue(new CommandResult(127, "", shell + "\n").timeoutMissing(), shell);
        }
        assertFalse(new CommandResult(127, "", "timeout: failed to run command 'docker': No such file or directory\n")
                .timeoutMissing(), "docker is what is missing");
        assertFalse(new CommandResult(1, "", "sh: 1: timeout: not found\n").timeoutMissing());
    }
}
