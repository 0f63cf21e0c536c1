package com.pyerp.deployaction.deploy;

import com.pyerp.deployaction.ssh.RemoteCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every command a deploy runs on a server, built as data (Kamal's {@code commands/} style): pure functions,
 * unit-tested without SSH, run by {@link com.pyerp.deployaction.ssh.RemoteShell}. Secrets only ever go
 * to stdin.
 *
 * <p>Server layout, under {@code app-dir}: {@code compose.yaml} and {@code .env} (what runs), and
 * {@code .deploy/}: {@code previous/} (the files before this deploy), {@code current-image}, {@code releases.log},
 * {@code lock/} (the deploy lock, owned while it exists) and {@code lock.guard} (flock for lock changes).
 */
final class DeployCommands {

    static final String STATE = ".deploy";
    static final String COMPOSE_NAME = "compose.yaml";
    static final String ENV_NAME = ".env";
    static final Duration SHORT = Duration.ofSeconds(60);
    static final Duration PULL = Duration.ofMinutes(20);

    private DeployCommands() {}

    /**
     * {@code docker compose} (v2) or {@code docker-compose} (v1) run in {@code app-dir}. Service names follow a
     * {@code --}, so that a name from deploy-config can never be read as an option. With an empty
     * {@code project}, Compose names the project itself (COMPOSE_PROJECT_NAME, else the directory's name), as it
     * does when someone runs it by hand in app-dir.
     */
    record Compose(List<String> program, String appDir, String project) {

        static final List<String> V2 = List.of("docker", "compose");
        static final List<String> V1 = List.of("docker-compose");

        RemoteCommand command(String image, Duration timeout, List<String> arguments) {
            List<String> argv = new ArrayList<>(program);
            if (!project.isEmpty()) {
                argv.addAll(List.of("-p", project));
            }
            argv.addAll(List.of("-f", COMPOSE_NAME));
            argv.addAll(arguments);
            return RemoteCommand.of(argv).in(appDir).withEnv("APP_IMAGE", image).withTimeout(timeout);
        }

        RemoteCommand validate(String image) {
            return command(image, SHORT, List.of("config", "-q"));
        }

        /**
         * The migration: once, in a new container of {@code service}, the command's first word as entrypoint.
         * {@code aside}: run it as the project {@code PROJECT-migrate} without dependencies, because docker-compose
         * 1.x cannot {@code run} a host-network service while one of its containers runs ("host type networking
         * can't be used with links"); the dependencies are already up then.
         */
        RemoteCommand migrate(String image, String service, List<String> command, Duration timeout, boolean aside) {
            List<String> arguments = new ArrayList<>(List.of("run", "--rm", "-T"));
            if (aside) {
                arguments.add("--no-deps");
            }
            arguments.addAll(List.of("--entrypoint", command.get(0), "--", service));
            arguments.addAll(command.subList(1, command.size()));
            String name = project.isEmpty() ? appDir.substring(appDir.lastIndexOf('/') + 1) : project;
            Compose compose = aside ? new Compose(program, appDir, name.toLowerCase(java.util.Locale.ROOT)
                    .replaceAll("[^a-z0-9_-]", "") + "-migrate") : this;
            return compose.command(image, timeout, arguments);
        }

        /** Recreates the services whose configuration or image changed; never takes anything down first. */
        RemoteCommand up(String image, List<String> services) {
            List<String> arguments = new ArrayList<>(List.of("up", "-d", "--no-deps", "--"));
            arguments.addAll(services);
            return command(image, Duration.ofMinutes(10), arguments);
        }

        RemoteCommand containerIds(String image, List<String> services) {
            List<String> arguments = new ArrayList<>(List.of("ps", "-q", "--"));
            arguments.addAll(services);
            return command(image, SHORT, arguments);
        }

        RemoteCommand logs(String image, String service, int lines) {
            return command(image, SHORT, List.of("logs", "--no-color", "--tail", Integer.toString(lines), "--", service));
        }
    }

    static RemoteCommand dockerServerVersion() {
        return RemoteCommand.of("docker", "version", "--format", "{{.Server.Version}}").withTimeout(SHORT);
    }

    static RemoteCommand composeVersion(List<String> program) {
        List<String> argv = new ArrayList<>(program);
        argv.add("version");
        return RemoteCommand.of(argv).withTimeout(SHORT);
    }

    static RemoteCommand dockerRootDir() {
        return RemoteCommand.of("docker", "info", "--format", "{{.DockerRootDir}}").withTimeout(SHORT);
    }

    static RemoteCommand freeDisk(String path) {
        return RemoteCommand.of("df", "-Pm", path).withTimeout(SHORT);
    }

    /** {@code df} of app-dir, or of its nearest existing parent before the first deploy makes it. */
    static RemoteCommand freeDiskAt(String appDir) {
        return RemoteCommand.of("sh", "-c", "d=$1; while [ ! -e \"$d\" ]; do d=$(dirname \"$d\"); done; df -Pm \"$d\"",
                "sh", appDir).withTimeout(SHORT);
    }

    /** Available megabytes from {@code df -Pm} output, or -1 when it cannot be read. */
    static long availableMegabytes(String dfOutput) {
        List<String> lines = dfOutput.strip().lines().toList();
        if (lines.size() < 2) {
            return -1;
        }
        String[] fields = lines.get(lines.size() - 1).trim().split("\\s+");
        return fields.length >= 4 && fields[3].matches("\\d+") ? Long.parseLong(fields[3]) : -1;
    }

    static RemoteCommand prepareDirectories(String appDir) {
        return RemoteCommand.of("mkdir", "-p", appDir + "/" + STATE + "/previous").withTimeout(SHORT);
    }

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
     * exit {@link #LOCK_LOST}. The guard is not held while the command runs, so a long pull does not block the lock.
     */
    static RemoteCommand underLock(String appDir, String token, RemoteCommand command) {
        String script = """
                guard=$1 owner=$2 token=$3; shift 3
                flock -E 74 -w 30 "$guard" sh -c '[ "$(sed -n 1p "$1" 2>/dev/null)" = "$2" ]' sh "$owner" "$token" \
                  || { status=$?; [ "$status" = 74 ] && exit 74; echo "%s" >&2; exit %d; }
                exec "$@"
                """.formatted(LOCK_LOST_MESSAGE, LOCK_LOST);
        return command.runBy(List.of("sh", "-c", script, "sh", appDir + "/" + STATE + "/lock.guard",
                lockPath(appDir) + "/owner", token));
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

    private static RemoteCommand guarded(String appDir, String script, String... arguments) {
        List<String> argv = new ArrayList<>(List.of("flock", "-w", "30", appDir + "/" + STATE + "/lock.guard",
                "sh", "-c", script, "sh"));
        argv.addAll(List.of(arguments));
        return RemoteCommand.of(argv).withTimeout(SHORT);
    }

    static String lockPath(String appDir) {
        return appDir + "/" + STATE + "/lock";
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

    static RemoteCommand pull(String image) {
        return RemoteCommand.of("docker", "pull", image).withTimeout(PULL);
    }

    /**
     * {@code docker login} and {@code docker pull} in a throwaway {@code DOCKER_CONFIG} under {@code .deploy/}, removed
     * when the pull ends, so that the job's token never stays on the server. The password goes on stdin. Leftovers of a
     * killed pull are removed by the next one, which holds the lock.
     */
    static RemoteCommand pullWithThrowawayLogin(String appDir, String registry, String username, String password,
            String image) {
        String script = """
                rm -rf .deploy/pull-auth.*
                auth=$(umask 077 && mktemp -d .deploy/pull-auth.XXXXXX) || exit 1
                trap 'rm -rf "$auth"' EXIT
                trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM
                DOCKER_CONFIG=$PWD/$auth docker login --username "$1" --password-stdin "$2" > /dev/null || exit 1
                DOCKER_CONFIG=$PWD/$auth docker pull "$3"
                """;
        return RemoteCommand.of("sh", "-c", script, "sh", username, registry, image).in(appDir).withStdin(password)
                .withTimeout(PULL);
    }

    /**
     * The Compose containers of app-dir, from docker's labels (a fraction of the time {@code docker-compose ps}
     * takes): one line each with id, project and service.
     */
    static RemoteCommand composeContainers(String appDir) {
        return RemoteCommand.of("docker", "ps", "-a", "--no-trunc", "--filter",
                "label=com.docker.compose.project.working_dir=" + appDir, "--filter", "label=com.docker.compose.oneoff=False",
                "--format", "{{.ID}} {{.Label \"com.docker.compose.project\"}} {{.Label \"com.docker.compose.service\"}}")
                .withTimeout(SHORT);
    }

    /**
     * Ids of the listed services' containers in {@link #composeContainers} output, or null when containers of
     * several projects share app-dir (then only Compose itself knows which are ours).
     */
    static List<String> containersOf(String listing, List<String> services) {
        List<String[]> rows = listing.strip().lines().map(line -> line.trim().split(" ")).filter(row -> row.length == 3).toList();
        if (rows.stream().map(row -> row[1]).distinct().count() > 1) {
            return null;
        }
        return rows.stream().filter(row -> services.contains(row[2])).map(row -> row[0]).toList();
    }

    static RemoteCommand recordedImage(String appDir) {
        return RemoteCommand.of("cat", appDir + "/" + STATE + "/current-image").withTimeout(SHORT);
    }

    static RemoteCommand containerImages(List<String> containerIds) {
        List<String> argv = new ArrayList<>(List.of("docker", "inspect", "--format", "{{.Config.Image}}"));
        argv.addAll(containerIds);
        return RemoteCommand.of(argv).withTimeout(SHORT);
    }

    /** One line per container: id, state (running, exited, ...) and health (healthy, unhealthy, starting, or -). */
    static RemoteCommand containerStates(List<String> containerIds) {
        List<String> argv = new ArrayList<>(List.of("docker", "inspect", "--format",
                "{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}-{{end}}"));
        argv.addAll(containerIds);
        return RemoteCommand.of(argv).withTimeout(SHORT);
    }

    /** One request with curl on the server: prints the body, a newline and the status code. */
    static RemoteCommand probe(HealthCheck health) {
        List<String> argv = new ArrayList<>(List.of("curl", "-sS", "--max-time",
                Long.toString(health.requestTimeout().toSeconds()), "-o", "-", "-w", "\\n%{http_code}"));
        if (!health.host().isEmpty()) {
            argv.addAll(List.of("-H", "Host: " + health.host()));
        }
        argv.add(health.url().toString());
        return RemoteCommand.of(argv).withTimeout(health.requestTimeout().plusSeconds(5));
    }

    /** Prints each of {@code names} that is not on the PATH, one per line: one round trip for all of them. */
    static RemoteCommand missingPrograms(List<String> names) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "for p; do command -v \"$p\" >/dev/null || echo \"$p\"; done", "sh"));
        argv.addAll(names);
        return RemoteCommand.of(argv).withTimeout(SHORT);
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

    /** Images of one repository, newest first: id, digest. */
    static RemoteCommand listImages(String repository) {
        return RemoteCommand.of("docker", "image", "ls", "--no-trunc", "--format", "{{.ID}} {{.Digest}}", repository)
                .withTimeout(SHORT);
    }

    /**
     * Which image ids to remove: all but the {@code keep} newest, never the deployed or the rollback image.
     *
     * @param listing output of {@link #listImages}, newest first
     */
    static List<String> imagesToRemove(String listing, int keep, List<String> protectedDigests) {
        List<String> seen = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (String line : listing.strip().lines().toList()) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 2 || seen.contains(fields[0])) {
                continue;
            }
            seen.add(fields[0]);
            if (protectedDigests.contains(fields[1]) || kept.size() < keep) {
                kept.add(fields[0]);
            } else {
                remove.add(fields[0]);
            }
        }
        remove.removeAll(kept);
        return remove;
    }

    static RemoteCommand removeImages(List<String> ids) {
        List<String> argv = new ArrayList<>(List.of("docker", "image", "rm"));
        argv.addAll(ids);
        return RemoteCommand.of(argv).withTimeout(Duration.ofMinutes(2));
    }
}
