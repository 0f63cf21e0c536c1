package com.pyerp.deployaction.server;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One change to make on the server, as data: who runs it, its argv (never secret: visible in process lists and
 * logs) and its stdin (the one place for secrets and file contents).
 */
public record Action(Who who, List<String> argv, byte[] stdin) {

    /** Root (directly, or through sudo), or the app user. */
    public enum Who { ROOT, APP }

    /**
     * {@code sh -c WRITE_FILE write-file PATH MODE}: stdin becomes PATH, through a temporary file in the same
     * directory that gets MODE and is then renamed over PATH, so a reader sees the old or the new file, never
     * half of one. Created by whoever runs it, with umask 077 (missing parents too).
     */
    static final String WRITE_FILE = "set -e; umask 077; mkdir -p -- \"$(dirname -- \"$1\")\"; tmp=\"$1.tmp.$$\";"
            + " trap 'rm -f -- \"$tmp\"' EXIT; cat >\"$tmp\"; chmod \"$2\" \"$tmp\"; mv -f -- \"$tmp\" \"$1\"; trap - EXIT";

    public Action {
        argv = List.copyOf(argv);
        stdin = stdin.clone();
    }

    public static Action root(String... argv) {
        return new Action(Who.ROOT, List.of(argv), new byte[0]);
    }

    public static Action app(String... argv) {
        return new Action(Who.APP, List.of(argv), new byte[0]);
    }

    /** Writes {@code content} to {@code path} atomically with {@code mode}, as the app user. */
    public static Action writeFile(String path, String mode, byte[] content) {
        return new Action(Who.APP, List.of("sh", "-c", WRITE_FILE, "write-file", path, mode), content);
    }

    @Override
    public byte[] stdin() {
        return stdin.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Action that && who == that.who && argv.equals(that.argv) && Arrays.equals(stdin, that.stdin);
    }

    @Override
    public int hashCode() {
        return Objects.hash(who, argv, Arrays.hashCode(stdin));
    }

    @Override
    public String toString() {
        boolean write = argv.size() > 2 && argv.get(2).equals(WRITE_FILE);
        String shown = write ? "write " + argv.get(4) + " (mode " + argv.get(5) + ")" : String.join(" ", argv);
        return (who == Who.APP ? "[app] " : "") + shown + (stdin.length > 0 ? " < (" + stdin.length + " bytes)" : "");
    }
}
