package com.pyerp.deployaction.deploy;

import static com.pyerp.deployaction.deploy.DeployCommands.STATE;

import com.pyerp.deployaction.ssh.RemoteCommand;
import java.time.Duration;

/**
 * Asset bridging with {@code asset-path}: each release's static files, copied out of its image, together with those of
 * the release that serves now, in {@code .deploy/assets/NAME}, which the release's web services mount as
 * {@code ${APP_ASSETS}}. A page of the old release that asks for its hashed CSS after the switch reaches the new
 * release, which has that file too; two releases later it is gone. Static files are public: the directories are
 * readable by all, whatever user the web server runs as and whatever the SSH session's umask.
 */
final class AssetCommands {

    static final String DIRECTORY = STATE + "/assets";
    /** What the in-place project's commands see as APP_ASSETS: an empty directory, for Compose's interpolation. */
    static final String NONE = "none";

    private AssetCommands() {}

    /** The directory name of an image's assets: its digest's first 12 hex digits. */
    static String name(String image) {
        return ImageReference.parse(image).shortDigest();
    }

    static String path(String appDir, String name) {
        return appDir + "/" + DIRECTORY + "/" + name;
    }

    /**
     * Copies {@code assetPath} out of a stopped container of {@code image} into {@code .deploy/assets/NAME.own}, then
     * makes {@code NAME}: those files, plus the serving release's own files that they lack (not those it had kept from
     * its predecessor). Each directory appears whole, or not at all; a release that has its directories already (a
     * re-run of the same image, which may be serving from them) keeps them as they are.
     */
    static RemoteCommand prepare(String appDir, String image, String name, String assetPath) {
        String script = """
                set -e
                mkdir -p .deploy/assets
                cd .deploy/assets
                if [ -d "$2" ] && [ -d "$2.own" ]; then exit 0; fi
                rm -rf "$2.own.new" "$2.new"
                mkdir -p "$2.own.new" "$2.new"
                c=$(docker create --network none "$1")
                trap 'docker rm -fv "$c" >/dev/null' EXIT
                docker cp "$c:$3/." "$2.own.new/"
                chmod -R a+rX "$2.own.new"
                if [ -s serving ] && [ "$(cat serving)" != "$2" ] && [ -d "$(cat serving).own" ]; then
                  cp -Rp "$(cat serving).own/." "$2.new/"
                fi
                cp -Rp "$2.own.new/." "$2.new/"
                chmod a+rX "$2.new"
                rm -rf "$2.own" "$2"
                mv "$2.own.new" "$2.own"
                mv "$2.new" "$2"
                """;
        return RemoteCommand.of("sh", "-c", script, "sh", image, name, assetPath).in(appDir)
                .withTimeout(Duration.ofMinutes(5));
    }

    /** The empty directory the in-place project mounts (a migration in the web service's container, for one). */
    static RemoteCommand prepareNone(String appDir) {
        return RemoteCommand.of("mkdir", "-p", "-m", "755", path(appDir, NONE)).withTimeout(DeployCommands.SHORT);
    }

    /** Records the release that serves now, and removes every other release's directory. */
    static RemoteCommand serving(String appDir, String name) {
        String script = """
                cd .deploy/assets || exit 1
                printf '%s\\n' "$1" > serving.new && mv -f serving.new serving
                for d in */; do
                  d=${d%/}
                  [ "$d" = "$1" ] || [ "$d" = "$1.own" ] || [ "$d" = none ] || rm -rf "$d"
                done
                """;
        return RemoteCommand.of("sh", "-c", script, "sh", name).in(appDir).withTimeout(DeployCommands.SHORT);
    }
}
