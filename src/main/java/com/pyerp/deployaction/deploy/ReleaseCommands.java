package com.pyerp.deployaction.deploy;

import static com.pyerp.deployaction.deploy.DeployCommands.STATE;
import static com.pyerp.deployaction.deploy.DeployCommands.COMPOSE_NAME;
import static com.pyerp.deployaction.deploy.DeployCommands.ENV_NAME;
import static com.pyerp.deployaction.deploy.DeployCommands.SHORT;

import com.pyerp.deployaction.ssh.RemoteCommand;

/**
 * The release's files in app-dir: {@code compose.yaml} and {@code .env} (what runs), their copies in
 * {@code .deploy/previous/}, {@code .deploy/current-image} and {@code .deploy/releases.log}.
 */
final class ReleaseCommands {

    private ReleaseCommands() {}

    static RemoteCommand prepareDirectories(String appDir) {
        return RemoteCommand.of("mkdir", "-p", appDir + "/" + STATE + "/previous").withTimeout(SHORT);
    }

    /** Copies the running compose file and .env to {@code .deploy/previous/} (a missing file stays missing). */
    static RemoteCommand keepPreviousFiles(String appDir) {
        return copyFiles(appDir, ".", STATE + "/previous");
    }

    /** Puts the files of {@code .deploy/previous/} back, after a failed deploy. */
    static RemoteCommand restorePreviousFiles(String appDir) {
        return copyFiles(appDir, STATE + "/previous", ".");
    }

    /** Stops at the first file that fails: a half-made backup would let a rollback restore a stale compose file. */
    private static RemoteCommand copyFiles(String appDir, String from, String to) {
        String script = """
                for f in %s %s; do
                  if [ -f "$1/$f" ]; then cp -p "$1/$f" "$2/.$f.copy" && mv -f "$2/.$f.copy" "$2/$f"; else rm -f "$2/$f"; fi || exit 1
                done
                """.formatted(COMPOSE_NAME, ENV_NAME);
        return RemoteCommand.of("sh", "-c", script, "sh", from, to).in(appDir).withTimeout(SHORT);
    }

    /**
     * For a rollback: the files of {@code .deploy/previous/} and the running ones swap places, so that a second
     * rollback goes forward again; fails when there are none.
     */
    static RemoteCommand swapWithPrevious(String appDir) {
        String script = """
                [ -f .deploy/previous/%1$s ] || { echo "app-dir has no .deploy/previous/%1$s: no release ran before this one" >&2; exit 3; }
                rm -rf .deploy/swap && mkdir .deploy/swap || exit 1
                for f in %1$s %2$s; do
                  if [ -f "$f" ]; then cp -p "$f" ".deploy/swap/$f" || exit 1; fi
                done
                for f in %1$s %2$s; do
                  if [ -f ".deploy/previous/$f" ]; then cp -p ".deploy/previous/$f" ".$f.copy" && mv -f ".$f.copy" "$f" || exit 1; fi
                done
                for f in %1$s %2$s; do
                  if [ -f ".deploy/swap/$f" ]; then mv -f ".deploy/swap/$f" ".deploy/previous/$f" || exit 1; else rm -f ".deploy/previous/$f"; fi
                done
                rmdir .deploy/swap
                """.formatted(COMPOSE_NAME, ENV_NAME);
        return RemoteCommand.of("sh", "-c", script).in(appDir).withTimeout(SHORT);
    }

    /** The image recorded as running, a line {@code ---}, then the release log. */
    static RemoteCommand releaseHistory(String appDir) {
        return RemoteCommand.of("sh", "-c", "cat .deploy/current-image 2>/dev/null; echo ---; cat .deploy/releases.log"
                + " 2>/dev/null; true").in(appDir).withTimeout(SHORT);
    }

    static RemoteCommand recordedImage(String appDir) {
        return RemoteCommand.of("cat", appDir + "/" + STATE + "/current-image").withTimeout(SHORT);
    }

    /** Records the image now running and appends the release log line. */
    static RemoteCommand recordRelease(String appDir, String image, String logLine) {
        String script = """
                printf '%s\\n' "$1" > .deploy/current-image.new && mv -f .deploy/current-image.new .deploy/current-image
                printf '%s\\n' "$2" >> .deploy/releases.log
                """;
        return RemoteCommand.of("sh", "-c", script, "sh", image, logLine).in(appDir).withTimeout(SHORT);
    }

    static RemoteCommand appendReleaseLog(String appDir, String logLine) {
        return RemoteCommand.of("sh", "-c", "printf '%s\\n' \"$1\" >> .deploy/releases.log", "sh", logLine)
                .in(appDir).withTimeout(SHORT);
    }
}
