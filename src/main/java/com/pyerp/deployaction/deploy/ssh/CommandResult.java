package com.pyerp.deployaction.deploy.ssh;

/**
 * How a remote command ended: its exit status and what it printed (each capped at the last
 * {@value RemoteShell#CAPTURE_LIMIT} characters; the full output was streamed live).
 */
public record CommandResult(int exitStatus, String stdout, String stderr) {

    /** The status {@code timeout} reports when it had to stop the command. */
    public static final int TIMED_OUT = 124;

    public boolean succeeded() {
        return exitStatus == 0;
    }
}
