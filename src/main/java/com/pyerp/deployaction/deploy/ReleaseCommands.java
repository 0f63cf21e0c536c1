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

    /** Where a release's compose.yaml and .env are kept, for a rollback to it: named after its digest. */
    static String releaseFiles(String image) {
        return STATE + "/releases/" + ImageReference.parse(image).shortDigest();
    }

    /**
     * For a rollback to {@code image}: the files kept for it become the running ones (after {@link #keepPreviousFiles});
     * a release that had no .env of its own keeps the server's. Fails, changing nothing, when none are kept.
     */
    static RemoteCommand takeReleaseFiles(String appDir, String image) {
        String script = """
                [ -f "$1/%1$s" ] || { echo "app-dir has no $1/%1$s: $2 was not deployed here by a version of the action that keeps its files" >&2; exit 3; }
                for f in %1$s %2$s; do
                  if [ -f "$1/$f" ]; then cp -p "$1/$f" ".$f.copy" && mv -f ".$f.copy" "$f" || exit 1; fi
                done
                """.formatted(COMPOSE_NAME, ENV_NAME);
        return RemoteCommand.of("sh", "-c", script, "sh", releaseFiles(image), image).in(appDir).withTimeout(SHORT);
    }

    /** The compose.yaml kept for {@code image}, to plan a rollback to it. */
    static RemoteCommand releaseComposeFile(String appDir, String image) {
        return RemoteCommand.of("cat", releaseFiles(image) + "/" + COMPOSE_NAME).in(appDir).withTimeout(SHORT);
    }

    /** The image recorded as running, a line {@code ---}, then the release log. */
    static RemoteCommand releaseHistory(String appDir) {
        return RemoteCommand.of("sh", "-c", "cat .deploy/current-image 2>/dev/null; echo ---; cat .deploy/releases.log"
                + " 2>/dev/null; true").in(appDir).withTimeout(SHORT);
    }

    static RemoteCommand recordedImage(String appDir) {
        return RemoteCommand.of("cat", appDir + "/" + STATE + "/current-image").withTimeout(SHORT);
    }

    /**
     * Records the image now running, appends the release log line, and keeps the release's compose.yaml and .env
     * for a rollback to it, with those of the {@code keep} releases before it.
     */
    static RemoteCommand recordRelease(String appDir, String image, String logLine, int keep) {
        String script = """
                printf '%%s\\n' "$1" > .deploy/current-image.new && mv -f .deploy/current-image.new .deploy/current-image
                printf '%%s\\n' "$2" >> .deploy/releases.log
                rm -rf "$3.new" && mkdir -p "$3.new" || exit 1
                for f in %1$s %2$s; do
                  if [ -f "$f" ]; then cp -p "$f" "$3.new/$f" || exit 1; fi
                done
                rm -rf "$3" && mv "$3.new" "$3" && touch "$3"
                ls -1t .deploy/releases | tail -n +$(($4 + 2)) | while read -r old; do rm -rf ".deploy/releases/$old"; done
                """.formatted(COMPOSE_NAME, ENV_NAME);
        return RemoteCommand.of("sh", "-c", script, "sh", image, logLine, releaseFiles(image), Integer.toString(keep))
                .in(appDir).withTimeout(SHORT);
    }

    static RemoteCommand appendReleaseLog(String appDir, String logLine) {
        return RemoteCommand.of("sh", "-c", "printf '%s\\n' \"$1\" >> .deploy/releases.log", "sh", logLine)
                .in(appDir).withTimeout(SHORT);
    }
}
