package com.pyerp.deployaction.ssh;

import java.util.regex.Pattern;

/**
 * How a remote command ended: its exit status and what it printed (each capped at the last
 * {@value RemoteShell#CAPTURE_LIMIT} characters; the full output was streamed live).
 */
public record CommandResult(int exitStatus, String stdout, String stderr) {

    /** The status {@code timeout} reports when it had to stop the command. */
    public static final int TIMED_OUT = 124;

    /** What dash, bash and zsh print when {@code timeout} itself, which wraps every command, is missing. */
    private static final Pattern TIMEOUT_NOT_FOUND =
            Pattern.compile("(^|\\s)timeout: (command )?not found|not found: timeout", Pattern.MULTILINE);

    public boolean succeeded() {
        return exitStatus == 0;
    }

    /**
     * Whether the command never ran because the server has no {@code timeout}: the shell's "not found" for it,
     * not timeout's own report of a missing program.
     */
    public boolean timeoutMissing() {
        return exitStatus == 127 && TIMEOUT_NOT_FOUND.matcher(stderr + stdout).find();
    }
}
