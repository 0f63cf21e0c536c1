package com.pyerp.deployaction.action;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the files the inputs name may come from: the workspace (the checked-out repository) and the runner's
 * temporary directory, where a job writes files it must not commit, such as a .env from a secret. A path that leads
 * elsewhere, by {@code ..}, by being absolute or through a symbolic link, is refused, so that a crafted input or pull
 * request cannot make the action read {@code /etc/passwd} or the runner's credentials into an image or onto a server.
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

    /**
     * Whether {@code path} lies inside the workspace or the runner's temporary directory once every link is followed.
     * A path that does not exist is judged by its nearest parent that does.
     */
    public boolean contains(Path path) {
        Path real = real(root.toAbsolutePath().resolve(path).normalize());
        return real != null && (inside(real, root) || runnerTemp != null && inside(real, runnerTemp));
    }

    /** The end of an error line for a path that {@link #contains} refused. */
    public String outside() {
        return "leads outside the workspace (" + root.toAbsolutePath().normalize() + ")" + (runnerTemp == null ? ""
                : " and the runner's temporary directory (" + runnerTemp + ")") + "; name a file of the repository,"
                + " relative to the workspace";
    }

    private static boolean inside(Path real, Path directory) {
        Path base = real(directory.toAbsolutePath().normalize());
        return base != null && real.startsWith(base);
    }

    /** The path with every link resolved, a missing tail kept as it is; null when nothing of it exists. */
    private static Path real(Path absolute) {
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            return existing == null ? null : existing.toRealPath().resolve(existing.relativize(absolute)).normalize();
        } catch (IOException e) {
            return null;
        }
    }
}
