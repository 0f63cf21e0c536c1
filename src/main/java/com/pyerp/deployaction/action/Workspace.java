package com.pyerp.deployaction.action;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the files the inputs name may come from: the workspace (the checked-out repository), and, for a path given
 * as an input, the runner's temporary directory, where a job writes files it must not commit, such as a .env from a
 * secret. A path that leads elsewhere, by {@code ..}, by being absolute or through a symbolic link, is refused, so
 * that a crafted input or pull request cannot make the action read {@code /etc/passwd} or the runner's credentials
 * into an image or onto a server. A path written in a repository file (deploy-config, jib.yaml) never reaches the
 * runner's temporary directory, where other actions keep their files.
 *
 * @param runnerTemp {@code $RUNNER_TEMP}, or null outside a runner
 */
public record Workspace(Path root, Path runnerTemp) {

    public static Workspace of(Path root, Map<String, String> env) {
        String runnerTemp = env.getOrDefault("RUNNER_TEMP", "");
        return new Workspace(root, runnerTemp.isBlank() ? null : Path.of(runnerTemp));
    }

    /** The path relative to the workspace. */
    public Path resolve(String path) {
        return root.resolve(path);
    }

    /** Whether {@code path}, written in a repository file, lies inside the workspace once every link is followed. */
    public boolean contains(Path path) {
        Path real = real(root.toAbsolutePath().resolve(path));
        return real != null && inside(real, root);
    }

    /** Whether {@code path}, given as an input, lies inside the workspace or the runner's temporary directory. */
    public boolean containsInput(Path path) {
        Path real = real(root.toAbsolutePath().resolve(path));
        return real != null && (inside(real, root) || runnerTemp != null && inside(real, runnerTemp));
    }

    /** The end of an error line for a path that {@link #contains} or {@link #containsInput} refused. */
    public String outside() {
        return "leads outside the workspace (" + root.toAbsolutePath().normalize() + ")" + (runnerTemp == null ? ""
                : " and the runner's temporary directory (" + runnerTemp + ")") + "; name a file of the repository,"
                + " relative to the workspace";
    }

    private static boolean inside(Path real, Path directory) {
        Path base = real(directory.toAbsolutePath());
        return base != null && real.startsWith(base);
    }

    /**
     * Where the kernel would take {@code absolute}: each part in turn, links followed as they come, so that a
     * {@code ..} after a link leaves the link's target, not its name. Below the first part that does not exist there
     * is no link to follow, and the rest is taken as written.
     */
    private static Path real(Path absolute) {
        try {
            Path current = absolute.getRoot();
            int count = absolute.getNameCount();
            for (int i = 0; i < count; i++) {
                Path next = current.resolve(absolute.getName(i));
                if (!Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
                    return (i + 1 < count ? next.resolve(absolute.subpath(i + 1, count)) : next).normalize();
                }
                current = next.toRealPath();
            }
            return current;
        } catch (IOException e) {
            return null;
        }
    }
}
