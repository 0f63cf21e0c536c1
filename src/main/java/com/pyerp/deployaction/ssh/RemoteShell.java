package com.pyerp.deployaction.ssh;

import java.time.Duration;

/**
 * A logged-in server: the one executor of {@link RemoteCommand}s and the one way to write files.
 * {@link SshConnection} is the implementation; code that plans and runs commands depends on this interface.
 */
public interface RemoteShell extends AutoCloseable {

    /** How many trailing characters of stdout and of stderr a {@link CommandResult} keeps. */
    int CAPTURE_LIMIT = 256 * 1024;

    /** A short name for logs, {@code user@host:port}. */
    String name();

    /**
     * Runs {@code command} and returns how it ended, whatever its exit status. Output is streamed to
     * {@code listener} as it arrives. Throws {@link RemoteCommandException} when there is no exit status
     * (connection dropped, process killed by a signal) or the server does not finish within the command's
     * timeout plus a grace period.
     */
    CommandResult execute(RemoteCommand command, OutputListener listener);

    /** {@link #execute} that also throws {@link RemoteCommandException} on any non-zero exit status. */
    default CommandResult run(RemoteCommand command, OutputListener listener) {
        CommandResult result = execute(command, listener);
        if (!result.succeeded()) {
            throw failure(command, result);
        }
        return result;
    }

    /**
     * Writes {@code content} to {@code path} atomically: to a temporary name in the same directory, created
     * with {@code mode} (for example {@code 0600} for env files), then renamed over {@code path}. The
     * directory must exist. Readers see either the old file or the complete new one.
     */
    void upload(byte[] content, String path, int mode);

    @Override
    void close();

    static RemoteCommandException failure(RemoteCommand command, CommandResult result) {
        String why = result.exitStatus() == CommandResult.TIMED_OUT
                ? "timed out on the server after " + Duration.ofSeconds(command.timeoutSeconds()).toString().substring(2).toLowerCase()
                : "exited with status " + result.exitStatus();
        String detail = lastLines(result.stderr().isBlank() ? result.stdout() : result.stderr(), 5);
        return new RemoteCommandException(command, result, "'" + command.display() + "' " + why
                + (detail.isEmpty() ? "." : ": " + detail));
    }

    static String lastLines(String text, int count) {
        String[] lines = text.strip().split("\\r?\\n");
        int from = Math.max(0, lines.length - count);
        return String.join(" | ", java.util.Arrays.copyOfRange(lines, from, lines.length)).strip();
    }
}
