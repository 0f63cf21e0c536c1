package com.pyerp.deployaction.deploy;

import static com.pyerp.deployaction.deploy.DeployCommands.SHORT;
import static com.pyerp.deployaction.deploy.DeployCommands.PULL;

import com.pyerp.deployaction.ssh.RemoteCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Pulling the release image, and pruning old images of its repository. */
final class ImageCommands {

    private ImageCommands() {}

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

    static RemoteCommand containerImages(List<String> containerIds) {
        List<String> argv = new ArrayList<>(List.of("docker", "inspect", "--format", "{{.Config.Image}}"));
        argv.addAll(containerIds);
        return RemoteCommand.of(argv).withTimeout(SHORT);
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
