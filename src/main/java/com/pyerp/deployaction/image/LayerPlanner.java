package com.pyerp.deployaction.image;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.image.BuildSpec.CopySpec;
import com.pyerp.deployaction.image.BuildSpec.FileProperties;
import com.pyerp.deployaction.image.BuildSpec.LayerSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Turns layer definitions into Jib layers with the secure defaults: everything owned by root (0:0), files 644
 * (755 when executable), directories 755, a fixed timestamp, unless the definition says otherwise.
 *
 * <p>Jib layers cannot hold symbolic links. A link to a regular file inside the copied tree is copied as that
 * file; links to directories, links that leave the tree and dangling links are left out and reported, so
 * that a host path (a virtualenv's {@code bin/python → /usr/bin/python3}) never leaks into the image.
 */
public final class LayerPlanner {

    static final Instant DEFAULT_TIMESTAMP = FileEntriesLayer.DEFAULT_MODIFICATION_TIME;
    private static final FileProperties DEFAULTS = new FileProperties(null, "755", "0", "0", DEFAULT_TIMESTAMP);

    /** A layer, and the links that could not go into it. */
    public record Planned(FileEntriesLayer layer, List<String> skippedLinks) {}

    private LayerPlanner() {}

    public static List<Planned> plan(List<LayerSpec> layers) {
        List<Planned> planned = new ArrayList<>();
        for (LayerSpec layer : layers) {
            FileEntriesLayer.Builder builder = FileEntriesLayer.builder().setName(layer.name());
            List<String> skipped = new ArrayList<>();
            for (CopySpec copy : layer.copies()) {
                add(builder, copy, layer.name(), skipped);
            }
            planned.add(new Planned(builder.build(), List.copyOf(skipped)));
        }
        return List.copyOf(planned);
    }

    private static void add(FileEntriesLayer.Builder builder, CopySpec copy, String layerName, List<String> skipped) {
        Path source = copy.source();
        FileProperties properties = copy.properties().over(DEFAULTS);
        AbsoluteUnixPath destination = AbsoluteUnixPath.get(copy.destination());
        if (Files.isRegularFile(source)) {
            builder.addEntry(entry(source, destination, properties, false));
            return;
        }
        if (!Files.isDirectory(source)) {
            throw new ActionException("Layer source missing", "Layer '" + layerName + "' copies " + source
                    + ", which does not exist. Create it before this step (for example pip install --target"
                    + " build/deps), or fix the path: relative paths start at the build file's directory, or at the"
                    + " workspace for the layers input.");
        }
        builder.addEntry(entry(source, destination, properties, true));
        List<PathMatcher> includes = matchers(copy.includes());
        List<PathMatcher> excludes = matchers(copy.excludes());
        // Walk the real directory: a source that is itself a link to a directory is copied with its content.
        Path realRoot = realPath(source);
        try (Stream<Path> walk = Files.walk(realRoot)) {
            walk.filter(path -> !path.equals(realRoot)).sorted().forEach(path -> {
                Path relative = realRoot.relativize(path);
                if (excluded(source, relative, excludes)) {
                    return;
                }
                boolean directory = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
                if (!directory && !includes.isEmpty() && !matchesAny(includes, source, relative)) {
                    return;
                }
                AbsoluteUnixPath target = destination.resolve(relative.toString().replace('\\', '/'));
                if (Files.isSymbolicLink(path)) {
                    Path resolved = linkTarget(path);
                    if (resolved == null || !resolved.startsWith(realRoot) || !Files.isRegularFile(resolved)
                            || excluded(source, realRoot.relativize(resolved), excludes)) {
                        skipped.add(relative + " -> " + readLink(path));
                        return;
                    }
                    builder.addEntry(entry(resolved, target, properties, false));
                } else {
                    builder.addEntry(entry(path, target, properties, directory));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FileEntry entry(Path source, AbsoluteUnixPath target, FileProperties properties, boolean directory) {
        String mode = directory ? properties.directoryPermissions()
                : properties.filePermissions() != null ? properties.filePermissions()
                : Files.isExecutable(source) ? "755" : "644";
        return new FileEntry(source, target, FilePermissions.fromOctalString(mode), properties.timestamp(),
                properties.user() + ":" + properties.group());
    }

    /** Excluded itself, or under a directory that an exclude glob matches. */
    private static boolean excluded(Path root, Path relative, List<PathMatcher> excludes) {
        for (Path path = relative; path != null; path = path.getParent()) {
            if (matchesAny(excludes, root, path)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Globs are matched against the path below the source, and against {@code /<source name>/<that path>}: so
     * jib-cli's whole-path globs such as {@code **}{@code /.env} or {@code **}{@code /media/**} work as intended,
     * while the directories above the source (wherever the checkout lives) never decide anything.
     */
    private static boolean matchesAny(List<PathMatcher> globs, Path root, Path relative) {
        Path named = Path.of("/" + (root.getFileName() == null ? "" : root.getFileName().toString())).resolve(relative);
        return globs.stream().anyMatch(glob -> glob.matches(relative) || glob.matches(named));
    }

    private static List<PathMatcher> matchers(List<String> globs) {
        return globs.stream().map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob)).toList();
    }

    private static Path linkTarget(Path link) {
        try {
            return link.toRealPath();
        } catch (IOException e) {
            return null;
        }
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "?";
        }
    }
}
