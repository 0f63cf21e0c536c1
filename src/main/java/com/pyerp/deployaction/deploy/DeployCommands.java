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

    /** Prints each of {@code names} that is not on the PATH, one per line: one round trip for all of them. */
    static RemoteCommand missingPrograms(List<String> names) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "for p; do command -v \"$p\" >/dev/null || echo \"$p\"; done", "sh"));
        argv.addAll(names);
        return RemoteCommand.of(argv).withTimeout(SHORT);
    }
}
