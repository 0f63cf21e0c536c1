package com.pyerp.deployaction.config;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What to build, decided before any registry is contacted: the merge of the build file and the simple inputs
 * (inputs win). Null means "not set here": inherit from the base image, or the default.
 *
 * @param baseImage a reference such as {@code ghcr.io/o/python:3.11@sha256:…}; null when not set
 * @param platforms {@code os/architecture[/variant]} entries, empty for the default (linux/amd64)
 * @param creationTime null for the commit date
 * @param format {@code docker} or {@code oci}; null for docker
 * @param exposedPorts {@code 8000/tcp} forms
 * @param entrypoint null to inherit the base image's
 * @param cmd null to inherit (only when the entrypoint is inherited too, as in Docker)
 */
public record BuildSpec(
        String baseImage,
        List<String> platforms,
        Instant creationTime,
        String format,
        Map<String, String> environment,
        Map<String, String> labels,
        List<String> volumes,
        List<String> exposedPorts,
        String user,
        String workingDirectory,
        List<String> entrypoint,
        List<String> cmd,
        List<LayerSpec> layers) {

    /**
     * Every field, the environment's values too, for a key that must change whenever the image would: hashed by
     * its callers, never printed.
     */
    public String fingerprint() {
        return String.join("\u0000", String.valueOf(baseImage), platforms.toString(), String.valueOf(creationTime),
                String.valueOf(format), new TreeMap<>(environment).toString(), new TreeMap<>(labels).toString(),
                volumes.toString(), exposedPorts.toString(), String.valueOf(user), String.valueOf(workingDirectory),
                String.valueOf(entrypoint), String.valueOf(cmd), layers.toString());
    }

    /** Without the environment's values, which may be secrets (the env input is never echoed). */
    @Override
    public String toString() {
        return "BuildSpec[baseImage=" + baseImage + ", platforms=" + platforms + ", format=" + format + ", environment="
                + environment.keySet() + ", layers=" + layers.size() + "]";
    }

    /** Only a base image, platforms, creation time and format: everything else unset or empty. */
    public static BuildSpec of(String baseImage, List<String> platforms, Instant creationTime, String format) {
        return new BuildSpec(baseImage, platforms, creationTime, format, Map.of(), Map.of(), List.of(), List.of(), null,
                null, null, null, List.of());
    }

    /** This definition on another base image. */
    public BuildSpec withBaseImage(String image) {
        return new BuildSpec(image, platforms, creationTime, format, environment, labels, volumes, exposedPorts, user,
                workingDirectory, entrypoint, cmd, layers);
    }

    /** One image layer, in order, built from one or more copy directives. */
    public record LayerSpec(String name, List<CopySpec> copies) {}

    /**
     * Copies {@code source} (a file or a directory, recursively) to the absolute path {@code destination}.
     * {@code includes}/{@code excludes} are globs matched against the path below {@code source}, and against
     * {@code /<source's name>/<that path>} for jib-cli's whole-path globs; empty includes mean all.
     */
    public record CopySpec(
            java.nio.file.Path source,
            String destination,
            List<String> includes,
            List<String> excludes,
            FileProperties properties) {}

    /**
     * Ownership, modes and times of copied files. Null fields fall back to the enclosing level (copy, layer,
     * all layers), then to the secure defaults: owned by root (0:0), files 644 (755 when the source is
     * executable), directories 755, timestamp epoch + 1 s.
     */
    public record FileProperties(
            String filePermissions, String directoryPermissions, String user, String group, Instant timestamp) {

        public static final FileProperties NONE = new FileProperties(null, null, null, null, null);

        /** These properties, with unset fields taken from {@code outer}. */
        public FileProperties over(FileProperties outer) {
            return new FileProperties(
                    filePermissions != null ? filePermissions : outer.filePermissions,
                    directoryPermissions != null ? directoryPermissions : outer.directoryPermissions,
                    user != null ? user : outer.user,
                    group != null ? group : outer.group,
                    timestamp != null ? timestamp : outer.timestamp);
        }
    }
}
