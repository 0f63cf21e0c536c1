package com.pyerp.deployaction.deploy;

import com.pyerp.deployaction.ssh.RemoteCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands a deploy runs on a server are data (Kamal's {@code commands/} style): pure functions, unit-tested
 * without SSH, run by {@link com.pyerp.deployaction.ssh.RemoteShell}, with secrets only ever on stdin. They come by
 * concern: {@link Compose}, {@link LockCommands}, {@link ImageCommands}, {@link ReleaseCommands},
 * {@link HealthCommands}, and here the preflight's checks of the server, with app-dir's layout and the timeouts
 * they all share.
 */
final class DeployCommands {

    static final String STATE = ".deploy";
    static final String COMPOSE_NAME = "compose.yaml";
    static final String ENV_NAME = ".env";
    static final Duration SHORT = Duration.ofSeconds(60);
    static final Duration PULL = Duration.ofMinutes(20);

    private DeployCommands() {}

    static RemoteCommand dockerServerVersion() {
        return RemoteCommand.of("docker", "version", "--format", "{{.Server.Version}}").withTimeout(SHORT);
    }

    /**
     * Docker's root directory, then {@code df -Pm} of it and of app-dir (or of its nearest existing parent, before the
     * first deploy makes it), in one round trip: read with {@link #freeDisk}.
     */
    static RemoteCommand dockerRootAndFreeDisk(String appDir) {
        return RemoteCommand.of("sh", "-c", "root=$(docker info --format '{{.DockerRootDir}}') && echo \"$root\" &&"
                + " df -Pm \"$root\" && d=$1 && while [ ! -e \"$d\" ]; do d=$(dirname \"$d\"); done && df -Pm \"$d\"",
                "sh", appDir).withTimeout(SHORT);
    }

    /** Free megabytes in docker's root directory and in app-dir, each -1 when it cannot be read. */
    record FreeDisk(String dockerRoot, long dockerRootMegabytes, long appDirMegabytes) {}

    /** {@link #dockerRootAndFreeDisk}'s output: the root, then two {@code df -Pm} outputs of two lines each. */
    static FreeDisk freeDisk(String output) {
        List<String> lines = output.strip().lines().toList();
        return new FreeDisk(lines.isEmpty() ? "" : lines.get(0).strip(), availableMegabytes(lines, 1),
                availableMegabytes(lines, 3));
    }

    private static long availableMegabytes(List<String> lines, int from) {
        return lines.size() < from + 2 ? -1 : availableMegabytes(String.join("\n", lines.subList(from, from + 2)));
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

    /** Prints each of {@code names} that is not on the PATH, one per line: one round trip for all of them. */
    static RemoteCommand missingPrograms(List<String> names) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "for p; do command -v \"$p\" >/dev/null || echo \"$p\"; done", "sh"));
        argv.addAll(names);
        return RemoteCommand.of(argv).withTimeout(SHORT);
    }
}
