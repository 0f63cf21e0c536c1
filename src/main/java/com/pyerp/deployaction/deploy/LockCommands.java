package com.pyerp.deployaction.deploy;

import static com.pyerp.deployaction.deploy.DeployCommands.STATE;
import static com.pyerp.deployaction.deploy.DeployCommands.SHORT;

import com.pyerp.deployaction.ssh.RemoteCommand;
import java.util.ArrayList;
import java.util.List;

/**
 * The deploy lock in {@code app-dir/.deploy/}: {@code lock/} (owned while it exists) and {@code lock.guard} (flock for
 * lock changes), and the check that lets every later command run only while this deploy holds the lock.
 */
final class LockCommands {

    private LockCommands() {}

    /**
     * Takes the lock directory, or takes over one whose holder has not refreshed it for the holder's own
     * {@code lock-timeout} (written into the lock; {@code staleSeconds} for locks without one). Prints
     * {@code acquired}, {@code took-over AGE HOLDER} (exit 0) or {@code held AGE HOLDER} (exit 3). flock serialises
     * the check-and-take, so two takers of a stale lock cannot both win. Owner file lines: token, time of the last
     * refresh, holder, time-to-live in seconds.
     */
    static RemoteCommand acquireLock(String appDir, String token, String holder, long staleSeconds) {
        String script = """
                lock=$1 now=$(date +%s)
                write() { printf '%s\\n%s\\n%s\\n%s\\n' "$2" "$now" "$3" "$4" > "$1/owner.new" && mv "$1/owner.new" "$1/owner"; }
                if mkdir "$lock" 2>/dev/null; then write "$lock" "$3" "$4" "$2"; echo acquired; exit 0; fi
                beat=$(sed -n 2p "$lock/owner" 2>/dev/null); who=$(sed -n 3p "$lock/owner" 2>/dev/null)
                ttl=$(sed -n 4p "$lock/owner" 2>/dev/null)
                case $beat in ''|*[!0-9]*) beat=$(stat -c %Y "$lock" 2>/dev/null || echo "$now");; esac
                case $ttl in ''|*[!0-9]*) ttl=$2;; esac
                age=$((now - beat))
                if [ "$age" -ge "$ttl" ]; then
                  rm -rf "$lock" && mkdir "$lock" && write "$lock" "$3" "$4" "$2" && echo "took-over $age $who" && exit 0
                fi
                echo "held $age $who"; exit 3
                """;
        return guarded(appDir, script, lockPath(appDir), Long.toString(staleSeconds), token, holder);
    }

    /** Refreshes the lock's time if this deploy still owns it; exit 3 when it does not. */
    static RemoteCommand refreshLock(String appDir, String token) {
        String script = """
                [ "$(sed -n 1p "$1/owner" 2>/dev/null)" = "$2" ] || exit 3
                { printf '%s\\n%s\\n' "$2" "$(date +%s)"; sed -n '3,4p' "$1/owner"; } > "$1/owner.new" && mv "$1/owner.new" "$1/owner"
                """;
        return guarded(appDir, script, lockPath(appDir), token);
    }

    /** Removes the lock if this deploy still owns it. */
    static RemoteCommand releaseLock(String appDir, String token) {
        String script = """
                [ "$(sed -n 1p "$1/owner" 2>/dev/null)" = "$2" ] || exit 0
                rm -rf "$1"
                """;
        return guarded(appDir, script, lockPath(appDir), token);
    }

    /** The exit status of a command that did not run because this deploy no longer holds the lock. */
    static final int LOCK_LOST = 75;

    static final String LOCK_LOST_MESSAGE = "pyerp-deploy-action: this deploy no longer holds the lock";

    /**
     * {@code command}, run only if this deploy still owns the lock, checked under the guard right before it starts; else
     * exit {@link #LOCK_LOST}. Any other failure of the check (the guard cannot be opened, or stays taken for 30 s) is
     * its own exit status, not a lost lock. The guard is not held while the command runs, so a long pull does not block
     * the lock; a takeover while it runs stops the deploy at its next command.
     */
    static RemoteCommand underLock(String appDir, String token, RemoteCommand command) {
        String script = """
                guard=$1 owner=$2 token=$3; shift 3
                flock -E 74 -w 30 "$guard" sh -c '[ "$(sed -n 1p "$1" 2>/dev/null)" = "$2" ] || exit 3' sh "$owner" "$token"
                status=$?
                if [ "$status" = 3 ]; then echo "%s" >&2; exit %d; fi
                [ "$status" = 0 ] || exit "$status"
                exec "$@"
                """.formatted(LOCK_LOST_MESSAGE, LOCK_LOST);
        return command.runBy(List.of("sh", "-c", script, "sh", appDir + "/" + STATE + "/lock.guard",
                lockPath(appDir) + "/owner", token));
    }

    private static RemoteCommand guarded(String appDir, String script, String... arguments) {
        List<String> argv = new ArrayList<>(List.of("flock", "-w", "30", appDir + "/" + STATE + "/lock.guard",
                "sh", "-c", script, "sh"));
        argv.addAll(List.of(arguments));
        return RemoteCommand.of(argv).withTimeout(SHORT);
    }

    static String lockPath(String appDir) {
        return appDir + "/" + STATE + "/lock";
    }

    /** Where {@link LockedShell} puts uploads before a locked command moves them into app-dir. */
    static String stagingDirectory(String appDir, String token) {
        return appDir + "/" + STATE + "/incoming." + token;
    }

    static RemoteCommand makeDirectory(String path) {
        return RemoteCommand.of("mkdir", "-p", "-m", "0700", path).withTimeout(SHORT);
    }

    /** Moves a staged upload over its destination, then removes the staging directory once it is empty. */
    static RemoteCommand moveStaged(String staged, String destination) {
        return RemoteCommand.of("sh", "-c", "mv -f \"$1\" \"$2\" && { rmdir \"${1%/*}\" 2>/dev/null; true; }", "sh",
                staged, destination).withTimeout(SHORT);
    }
}
