package com.pyerp.deployaction.system;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.debian.BinaryPackage;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code system-packages-lock}: the resolved set of each platform (name, version, architecture, size, SHA256 and
 * URL of each package), for the user to commit. While it matches the request (the packages, the sources, and each
 * platform's base image), a build takes the set from it and fetches no Release file and no index.
 *
 * @param sources as configured; empty for the base's default suites
 */
record PackageLock(int lockVersion, List<String> request, List<String> sources, List<Platform> platforms) {

    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** @param base the digest of the platform's base manifest */
    record Platform(String platform, String base, List<PackageSet.Entry> packages) {}

    /** Empty when the file does not exist yet. */
    static Optional<PackageLock> read(Path file, String given) {
        try {
            PackageLock lock = JSON.readValue(Files.readString(file, StandardCharsets.UTF_8), PackageLock.class);
            if (lock.lockVersion() != VERSION || lock.platforms() == null || lock.request() == null
                    || lock.sources() == null) {
                throw new IOException("it is not a lock of version " + VERSION);
            }
            for (Platform platform : lock.platforms()) {
                if (platform == null || platform.platform() == null || platform.base() == null || platform.packages() == null) {
                    throw new IOException("a platform lacks its name, base or packages");
                }
                for (PackageSet.Entry entry : platform.packages()) {
                    if (entry == null || entry.name() == null || entry.version() == null || entry.architecture() == null
                            || entry.added() && (!String.valueOf(entry.sha256()).matches("[0-9a-f]{64}")
                                    || !String.valueOf(entry.url()).matches("https?://\\S+"))) {
                        throw new IOException("a package lacks its name, version, architecture, SHA256 or http(s) URL");
                    }
                    if (entry.added()) {
                        try {
                            URI.create(entry.url());
                        } catch (IllegalArgumentException e) {
                            throw new IOException(entry.name() + "'s URL is not a URL: " + e.getMessage());
                        }
                    }
                }
            }
            return Optional.of(lock);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new ActionException("Invalid input: system-packages-lock", "'" + given + "' is not a lock this"
                    + " action wrote (" + e.getMessage().lines().findFirst().orElse("") + "). Delete it, and the next"
                    + " build writes it anew.");
        }
    }

    void write(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, JSON.writeValueAsString(this) + "\n", StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new ActionException("System packages: lock not written", "Could not write " + file + " ("
                    + e.getMessage() + ").");
        }
    }

    /**
     * Whether the lock was made for this request, these sources and these platforms' bases, and holds every
     * requested package for each platform.
     *
     * @param names the requested packages' names
     */
    boolean matches(List<String> request, List<String> names, List<String> sources, List<BaseImage.Platform> bases) {
        return this.request.equals(request) && this.sources.equals(sources) && platforms.size() == bases.size()
                && bases.stream().allMatch(base -> platforms.stream().anyMatch(locked ->
                        locked.platform().equals(base.platform()) && locked.base().equals(base.digest())
                                && names.stream().allMatch(name -> locked.packages().stream()
                                        .anyMatch(entry -> entry.name().equals(name)))));
    }

    Platform platform(BaseImage.Platform base) {
        return platforms.stream().filter(locked -> locked.platform().equals(base.platform())).findFirst().orElseThrow();
    }

    /** A locked package as the download and the layer take it: its size, SHA256 and name, nothing from an index. */
    static BinaryPackage binary(PackageSet.Entry entry, String given) {
        return new BinaryPackage(entry.name(), entry.version(), entry.architecture(), "", false, List.of(), "", "", "",
                "", "", entry.size(), entry.sha256(), given);
    }
}
