package com.pyerp.deployaction.action;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the files the inputs name may come from: the workspace, the checked-out repository. A path that leads out of
 * it, by {@code ..}, by being absolute or through a symbolic link, is refused, so that a crafted input or pull
 * request cannot make the action read {@code /etc/passwd} or the runner's credentials into an image or onto a server.
 */
public final class Workspace {

    private Workspace() {}

    /**
     * Whether {@code path} lies inside {@code workspace} once every link is followed. A path that does not exist is
     * judged by its nearest parent that does.
     */
    public static boolean contains(Path workspace, Path path) {
        try {
            Path root = workspace.toRealPath();
            Path absolute = workspace.toAbsolutePath().resolve(path).normalize();
            Path existing = absolute;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing == null) {
                return false;
            }
            return existing.toRealPath().resolve(existing.relativize(absolute)).normalize().startsWith(root);
        } catch (IOException e) {
            return false;
        }
    }

    /** The end of an error line for a path that {@link #contains} refused. */
    public static String outside(Path workspace) {
        return "leads outside the workspace (" + workspace.toAbsolutePath().normalize() + "); name a file of the"
                + " repository, relative to the workspace";
    }
}
