package com.pyerp.deployaction.action;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;

/**
 * Small facts remembered between runs on the same runner, each a text file named by a hex key: what a layer's
 * content digest was for a given fingerprint, what the last build of a given definition pushed, the OSV records
 * a scan fetched. Lives in
 * {@code $XDG_CACHE_HOME/pyerp-deploy-action} (else {@code ~/.cache/pyerp-deploy-action}); a missing or
 * unwritable cache only makes a run slower.
 */
public final class LocalCache {

    private final Path root;

    public LocalCache(Path root) {
        this.root = root;
    }

    public static LocalCache in(Map<String, String> env) {
        String xdg = env.getOrDefault("XDG_CACHE_HOME", "");
        Path home = Path.of(env.getOrDefault("HOME", System.getProperty("user.home")));
        return new LocalCache((xdg.isBlank() ? home.resolve(".cache") : Path.of(xdg)).resolve("pyerp-deploy-action"));
    }

    /** A directory of its own for files too large for a text entry (downloads kept by their digest). */
    public Path directory(String kind) {
        return root.resolve(kind);
    }

    public Optional<String> get(String kind, String key) {
        try {
            return Optional.of(Files.readString(root.resolve(kind).resolve(key), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public void put(String kind, String key, String value) {
        try {
            Path directory = Files.createDirectories(root.resolve(kind));
            Path temporary = Files.createTempFile(directory, key, ".tmp");
            Files.writeString(temporary, value, StandardCharsets.UTF_8);
            Files.move(temporary, directory.resolve(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // the next run recomputes what it cannot find
        }
    }
}
