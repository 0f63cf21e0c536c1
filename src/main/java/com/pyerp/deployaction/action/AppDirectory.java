package com.pyerp.deployaction.action;

import java.util.List;
import java.util.Set;

/**
 * What an {@code app-dir} may be, for deploy and setup-server alike. The deploy keeps its lock and backups there and
 * setup-server hands it to the app user, so it must be one plain directory of its own: an ambiguous spelling such as
 * {@code /srv//app} or {@code /srv/./app} would put the lock somewhere else, and a system directory would be taken over.
 */
public final class AppDirectory {

    /** Top-level directories that are never an app-dir themselves. */
    public static final Set<String> SYSTEM_DIRECTORIES = Set.of("/bin", "/boot", "/dev", "/etc", "/home", "/lib",
            "/lib32", "/lib64", "/libx32", "/media", "/mnt", "/opt", "/proc", "/root", "/run", "/sbin", "/srv", "/sys",
            "/tmp", "/usr", "/var");
    /** Trees that belong to the system or the kernel, so that nothing inside them is an app-dir either. */
    private static final List<String> SYSTEM_TREES = List.of("/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64",
            "/libx32", "/proc", "/run", "/sbin", "/sys", "/usr");

    private AppDirectory() {}

    /**
     * The directory without trailing slashes.
     *
     * @throws IllegalArgumentException saying why {@code path} is refused, for the caller's error line
     */
    public static String normalise(String path) {
        String trimmed = path.length() > 1 ? path.replaceAll("/+$", "") : path;
        if (!trimmed.startsWith("/") || trimmed.equals("/") || trimmed.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("'" + path + "' must be an absolute directory such as /srv/pyerp");
        }
        List<String> parts = List.of(trimmed.substring(1).split("/", -1));
        if (parts.stream().anyMatch(part -> part.isEmpty() || part.equals(".") || part.equals(".."))) {
            throw new IllegalArgumentException("'" + path + "' must be written plainly, without '//', '.' or '..' parts,"
                    + " such as /srv/pyerp");
        }
        if (SYSTEM_DIRECTORIES.contains(trimmed)) {
            throw new IllegalArgumentException("'" + path + "' is a system directory; use a directory of its own inside"
                    + " it, such as /srv/pyerp");
        }
        String tree = "/" + parts.get(0);
        if (SYSTEM_TREES.contains(tree)) {
            throw new IllegalArgumentException("'" + path + "' lies inside " + tree + ", which belongs to the system; use"
                    + " a directory such as /srv/pyerp");
        }
        return trimmed;
    }
}
