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
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
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

    /**
     * A layer, the links that could not go into it, and a fingerprint of its entries and their sources' sizes
     * and modification times: equal fingerprints mean an equal layer, without reading any file's content.
     */
    public record Planned(FileEntriesLayer layer, List<String> skippedLinks, String fingerprint) {}

    /** Parsed once per mode: thousands of entries share a handful of modes. */
    private static final Map<String, FilePermissions> PERMISSIONS = new ConcurrentHashMap<>();
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Executor WALKERS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "layer-walk");
        thread.setDaemon(true);
        return thread;
    });

    private LayerPlanner() {}

    public static List<Planned> plan(List<LayerSpec> layers) {
        return await(planInBackground(layers));
    }

    /** The walked layers; a walk's failure is rethrown as itself. */
    public static List<Planned> await(CompletableFuture<List<Planned>> layers) {
        try {
            return layers.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * Checks now that every source exists, then walks the layers in parallel on background threads, so that the
     * walk overlaps with the work before the build. Joining rethrows a walk's failure as the future's cause.
     */
    public static CompletableFuture<List<Planned>> planInBackground(List<LayerSpec> layers) {
        layers.forEach(layer -> layer.copies().forEach(copy -> checkSource(copy, layer.name())));
        List<CompletableFuture<Planned>> walks = layers.stream()
                .map(layer -> CompletableFuture.supplyAsync(() -> planLayer(layer), WALKERS)).toList();
        return CompletableFuture.allOf(walks.toArray(CompletableFuture[]::new))
                .thenApply(done -> walks.stream().map(CompletableFuture::join).toList());
    }

    private static Planned planLayer(LayerSpec layer) {
        FileEntriesLayer.Builder builder = FileEntriesLayer.builder().setName(layer.name());
        List<String> skipped = Collections.synchronizedList(new ArrayList<>());
        MessageDigest fingerprint = sha256();
        for (CopySpec copy : layer.copies()) {
            add(builder, copy, skipped, fingerprint);
        }
        skipped.sort(null);
        return new Planned(builder.build(), List.copyOf(skipped), HexFormat.of().formatHex(fingerprint.digest()));
    }

    private static void checkSource(CopySpec copy, String layerName) {
        if (!Files.exists(copy.source())) {
            throw new ActionException("Layer source missing", "Layer '" + layerName + "' copies " + copy.source()
                    + ", which does not exist. Create it before this step (for example pip install --target"
                    + " build/deps), or fix the path: relative paths start at the build file's directory, or at the"
                    + " workspace for the layers input.");
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void add(FileEntriesLayer.Builder builder, CopySpec copy, List<String> skipped, MessageDigest fingerprint) {
        Path source = copy.source();
        FileProperties properties = copy.properties().over(DEFAULTS);
        AbsoluteUnixPath destination = AbsoluteUnixPath.get(copy.destination());
        BasicFileAttributes sourceAttributes = attributes(source, true);
        if (sourceAttributes != null && sourceAttributes.isRegularFile()) {
            add(builder, fingerprint, new Found(source, sourceAttributes), destination, properties);
            return;
        }
        if (sourceAttributes == null || !sourceAttributes.isDirectory()) {
            throw new UncheckedIOException(new NoSuchFileException(source.toString(), null, "neither a file nor a directory"));
        }
        add(builder, fingerprint, new Found(source, sourceAttributes), destination, properties);
        // Walk the real directory: a source that is itself a link to a directory is copied with its content.
        Path realRoot = realPath(source);
        List<Found> found = walk(source, realRoot, matchers(copy.includes()), matchers(copy.excludes()), skipped);
        found.sort(Comparator.comparing(Found::path));
        for (Found file : found) {
            AbsoluteUnixPath target = destination.resolve(realRoot.relativize(file.path()).toString().replace('\\', '/'));
            add(builder, fingerprint, file.linkTarget() != null ? file.linkTarget() : file, target, properties);
        }
    }

    /** A path the walk keeps; for a kept link, {@code linkTarget} is the file it points to. */
    private record Found(Path path, BasicFileAttributes attributes, Found linkTarget) {
        Found(Path path, BasicFileAttributes attributes) {
            this(path, attributes, null);
        }
    }

    /**
     * Everything below {@code realRoot} that goes into the layer, unordered. The top-level entries are walked in
     * parallel: a site-packages directory holds hundreds of packages, and a walk is mostly per-file overhead.
     */
    private static List<Found> walk(Path source, Path realRoot, List<PathMatcher> includes, List<PathMatcher> excludes,
            List<String> skipped) {
        List<Path> children;
        try (Stream<Path> list = Files.list(realRoot)) {
            children = list.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return children.parallelStream()
                .flatMap(child -> walkFrom(child, source, realRoot, includes, excludes, skipped).stream())
                .collect(Collectors.toCollection(ArrayList::new));
    }

    private static List<Found> walkFrom(Path start, Path source, Path realRoot, List<PathMatcher> includes,
            List<PathMatcher> excludes, List<String> skipped) {
        List<Found> found = new ArrayList<>();
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) {
                    // The walk never enters an excluded directory, so a visited path's ancestors are all kept.
                    if (matchesAny(excludes, source, realRoot.relativize(directory))) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    found.add(new Found(directory, attributes));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    Path relative = realRoot.relativize(file);
                    if (matchesAny(excludes, source, relative)
                            || (!includes.isEmpty() && !matchesAny(includes, source, relative))) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (!attributes.isSymbolicLink()) {
                        // the walk's attributes carry no mode bits; re-read them, without following links
                        BasicFileAttributes withMode = attributes(file, false);
                        if (withMode != null) {
                            found.add(new Found(file, withMode));
                        }
                        return FileVisitResult.CONTINUE;
                    }
                    Path resolved = linkTarget(file);
                    BasicFileAttributes target = resolved == null ? null : attributes(resolved, false);
                    if (target == null || !resolved.startsWith(realRoot) || !target.isRegularFile()
                            || excluded(source, realRoot.relativize(resolved), excludes)) {
                        skipped.add(relative + " -> " + readLink(file));
                    } else {
                        found.add(new Found(file, attributes, new Found(resolved, target)));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /**
     * Adds the entry, and feeds the fingerprint with everything that decides the layer's bytes: the entry's
     * place, mode, owner and time in the image, and the source's size and modification time.
     */
    private static void add(FileEntriesLayer.Builder builder, MessageDigest fingerprint, Found file,
            AbsoluteUnixPath target, FileProperties properties) {
        FileEntry entry = entry(file.path(), target, properties, file.attributes());
        builder.addEntry(entry);
        fingerprint.update((entry.getExtractionPath() + "\0" + entry.getPermissions().toOctalString() + "\0"
                + entry.getOwnership() + "\0" + entry.getModificationTime().toEpochMilli() + "\0" + file.path() + "\0"
                + (file.attributes().isDirectory() ? "d" : file.attributes().size() + "\0"
                        + file.attributes().lastModifiedTime().to(TimeUnit.NANOSECONDS)) + "\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static FileEntry entry(Path source, AbsoluteUnixPath target, FileProperties properties,
            BasicFileAttributes attributes) {
        String mode = attributes.isDirectory() ? properties.directoryPermissions()
                : properties.filePermissions() != null ? properties.filePermissions()
                : executable(attributes) ? "755" : "644";
        return new FileEntry(source, target, PERMISSIONS.computeIfAbsent(mode, FilePermissions::fromOctalString),
                properties.timestamp(), properties.user() + ":" + properties.group());
    }

    /** Executable for anyone: the mode bits, not an access check for this process's user. */
    private static boolean executable(BasicFileAttributes attributes) {
        if (attributes instanceof PosixFileAttributes posix) {
            Set<PosixFilePermission> permissions = posix.permissions();
            return permissions.contains(PosixFilePermission.OWNER_EXECUTE)
                    || permissions.contains(PosixFilePermission.GROUP_EXECUTE)
                    || permissions.contains(PosixFilePermission.OTHERS_EXECUTE);
        }
        return false;
    }

    /** Null when the path does not exist. Where the file system has no POSIX modes, files count as not executable. */
    private static BasicFileAttributes attributes(Path path, boolean followLinks) {
        LinkOption[] options = followLinks ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
        try {
            Class<? extends BasicFileAttributes> kind = POSIX ? PosixFileAttributes.class : BasicFileAttributes.class;
            return Files.readAttributes(path, kind, options);
        } catch (IOException e) {
            return null;
        }
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
        if (globs.isEmpty()) {
            return false;
        }
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
