package com.pyerp.deployaction.ssh;

/**
 * One atomic file upload, planned: the content goes to a temporary name beside {@code path}, created with
 * {@code mode}, and is then renamed over {@code path}. Over SFTP the connection opens the temporary file itself;
 * without SFTP, {@link #overExec} writes it with a shell on the server. The content is always on stdin, never in
 * argv.
 */
record RemoteUpload(String path, String temporary, int mode) {

    /** Why an upload failed, as far as the server tells. */
    enum Cause { MISSING_DIRECTORY, PERMISSION_DENIED, OTHER }

    /** Exit statuses of the exec script that name a {@link Cause}. */
    static final int MISSING_DIRECTORY_STATUS = 3;
    static final int PERMISSION_DENIED_STATUS = 4;

    // $1 directory, $2 temporary, $3 mode (octal), $4 target. umask 077 keeps the new file private until chmod
    // gives it its mode; noclobber (-C) refuses a temporary name that exists, as SFTP's O_EXCL does.
    private static final String SCRIPT = "[ -d \"$1\" ] || exit " + MISSING_DIRECTORY_STATUS
            + "; [ -w \"$1\" ] || exit " + PERMISSION_DENIED_STATUS
            + "; umask 077; set -C; cat > \"$2\" && chmod \"$3\" \"$2\" && mv -f \"$2\" \"$4\""
            + " || { status=$?; rm -f \"$2\"; exit $status; }";

    /** An upload to {@code path}; {@code suffix} makes the temporary name unique. */
    static RemoteUpload to(String path, int mode, String suffix) {
        int slash = path.lastIndexOf('/');
        return new RemoteUpload(path, path.substring(0, slash + 1) + "." + path.substring(slash + 1) + ".tmp-" + suffix, mode);
    }

    String directory() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "." : slash == 0 ? "/" : path.substring(0, slash);
    }

    /** The whole upload as one command: write the temporary file from stdin, set its mode, rename it. */
    RemoteCommand overExec(byte[] content) {
        return RemoteCommand.of("sh", "-c", SCRIPT, "sh", directory(), temporary, Integer.toOctalString(mode), path)
                .withStdin(content);
    }

    /** rename(2) replaces the target atomically; SFTP v3's rename refuses to overwrite, so this runs over exec. */
    RemoteCommand rename() {
        return RemoteCommand.of("mv", "-f", "--", temporary, path);
    }

    RemoteCommand removeTemporary() {
        return RemoteCommand.of("rm", "-f", "--", temporary);
    }

    static Cause causeOfExit(int status) {
        return switch (status) {
            case MISSING_DIRECTORY_STATUS -> Cause.MISSING_DIRECTORY;
            case PERMISSION_DENIED_STATUS -> Cause.PERMISSION_DENIED;
            default -> Cause.OTHER;
        };
    }

    /** The error line for a failed upload; {@code detail} is what the server said, for {@link Cause#OTHER}. */
    String failure(Cause cause, String server, String user, String channel, String detail) {
        String start = "Could not write " + path + " on " + server + ": ";
        return switch (cause) {
            case MISSING_DIRECTORY -> start + "the directory " + directory() + " does not exist. Create it first, or"
                    + " check the path.";
            case PERMISSION_DENIED -> start + "'" + user + "' may not write to " + directory() + " (permission denied)."
                    + " Make '" + user + "' its owner, or connect as the user that owns it.";
            case OTHER -> start + "the upload " + channel + " failed" + (detail.isBlank() ? "." : ": " + detail + ".");
        };
    }
}
