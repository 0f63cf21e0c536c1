package com.pyerp.deployaction.image;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.config.BuildSpec.CopySpec;
import com.pyerp.deployaction.config.BuildSpec.FileProperties;
import com.pyerp.deployaction.config.BuildSpec.LayerSpec;
import com.pyerp.deployaction.config.BuildSpec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
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
     * A walked layer: the links that could not go into it, and a fingerprint of its entries and their sources' sizes
     * and modification times. Equal fingerprints mean an equal layer, without reading any file's content. Jib's
     * layer is only made when asked for: a build that finds nothing changed needs the fingerprint alone.
     */
    public static final class Planned {
        private final String name;
        private final List<Copied> copies;
        private final List<String> skippedLinks;
        private final String fingerprint;
        private FileEntriesLayer layer;

        private Planned(String name, List<Copied> copies, List<String> skippedLinks, String fingerprint) {
            this.name = name;
            this.copies = copies;
            this.skippedLinks = skippedLinks;
            this.fingerprint = fingerprint;
        }

        public String name() {
            return name;
        }

        public List<String> skippedLinks() {
            return skippedLinks;
        }

        public String fingerprint() {
            return fingerprint;
        }

        public synchronized FileEntriesLayer layer() {
            if (layer == null) {
                FileEntriesLayer.Builder builder = FileEntriesLayer.builder().setName(name);
                copies.forEach(copy -> copy.addTo(builder));
                layer = builder.build();
            }
            return layer;
        }
    }

    /** Parsed once per mode: thousands of entries share a handful of modes. */
    private static final Map<String, FilePermissions> PERMISSIONS = new ConcurrentHashMap<>();
    /** With POSIX mode bits where the file system has them; elsewhere files count as not executable. */
    private static final Class<? extends BasicFileAttributes> ATTRIBUTES =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                    ? PosixFileAttributes.class : BasicFileAttributes.class;
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
        List<String> skipped = Collections.synchronizedList(new ArrayList<>());
        List<Copied> copies = layer.copies().stream().map(copy -> copied(copy, skipped)).toList();
        skipped.sort(null);
        MessageDigest fingerprint = sha256();
        copies.forEach(copy -> copy.fingerprint(fingerprint));
        return new Planned(layer.name(), copies, List.copyOf(skipped), HexFormat.of().formatHex(fingerprint.digest()));
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

    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    /**
     * A path the walk keeps, below the copy's (real) root; {@code source} is what goes into the layer: the path
     * itself, or for a kept link the file it points to, with that file's attributes.
     */
    private record Found(Path path, Path source, BasicFileAttributes attributes) implements Comparable<Found> {
        @Override
        public int compareTo(Found other) {
            return path.compareTo(other.path);
        }
    }

    /**
     * One copy, walked: its source ({@code root}), and for a directory everything below it in path order.
     * {@code realRoot} is the directory actually walked, which differs from the source when that is a link.
     */
    private record Copied(CopySpec copy, FileProperties properties, BasicFileAttributes rootAttributes, Path realRoot,
            List<Found> found) {

        void addTo(FileEntriesLayer.Builder builder) {
            AbsoluteUnixPath destination = AbsoluteUnixPath.get(copy.destination());
            builder.addEntry(entry(copy.source(), destination, properties, rootAttributes));
            for (Found file : found) {
                AbsoluteUnixPath target = destination.resolve(realRoot.relativize(file.path()).toString().replace('\\', '/'));
                builder.addEntry(entry(file.source(), target, properties, file.attributes()));
            }
        }

        /**
         * Everything that decides the layer's bytes: where each entry goes, its mode, owner and time in the image,
         * and its source's place, size and modification time. Written into one buffer first: one digest update of
         * a megabyte is far cheaper, early in a JVM's life, than thousands of small ones.
         */
        void fingerprint(MessageDigest digest) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            try {
                out.writeUTF(copy.destination() + "\0" + properties + "\0" + copy.source() + "\0" + realRoot);
                describe(out, rootAttributes);
                int prefix = realRoot.toString().length();
                for (Found file : found) {
                    out.writeUTF(file.path().toString().substring(prefix));
                    out.writeUTF(file.source() == file.path() ? "" : file.source().toString());
                    describe(out, file.attributes());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            digest.update(bytes.toByteArray());
        }

        private static void describe(DataOutputStream out, BasicFileAttributes attributes) throws IOException {
            if (attributes.isDirectory()) {
                out.writeByte('d');
            } else {
                out.writeByte(executable(attributes) ? 'x' : 'f');
                out.writeLong(attributes.size());
                out.writeLong(attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS));
            }
        }
    }

    private static Copied copied(CopySpec copy, List<String> skipped) {
        Path source = copy.source();
        FileProperties properties = copy.properties().over(DEFAULTS);
        BasicFileAttributes sourceAttributes = attributes(source, true);
        if (sourceAttributes != null && sourceAttributes.isRegularFile()) {
            return new Copied(copy, properties, sourceAttributes, source, List.of());
        }
        if (sourceAttributes == null || !sourceAttributes.isDirectory()) {
            throw new UncheckedIOException(new NoSuchFileException(source.toString(), null, "neither a file nor a directory"));
        }
        // Walk the real directory: a source that is itself a link to a directory is copied with its content.
        Path realRoot = realPath(source);
        return new Copied(copy, properties, sourceAttributes, realRoot,
                walk(source, realRoot, matchers(copy.includes()), matchers(copy.excludes()), skipped));
    }

    /**
     * Everything below {@code realRoot} that goes into the layer, in path order. The top-level entries are walked in
     * parallel: a site-packages directory holds hundreds of packages, and a walk is mostly per-file overhead.
     */
    private static List<Found> walk(Path source, Path realRoot, List<PathMatcher> includes, List<PathMatcher> excludes,
            List<String> skipped) {
        Walk walk = new Walk(source, realRoot, includes, excludes, skipped);
        List<Path> children = walk.children(realRoot);
        // Each subtree comes back sorted, so the final sort only merges runs.
        List<Found> found = children.parallelStream().flatMap(child -> walk.from(child).stream())
                .collect(Collectors.toCollection(ArrayList::new));
        Collections.sort(found);
        return found;
    }

    /** One copy's walk: one {@code lstat} per entry, excluded directories never entered. */
    private record Walk(Path source, Path realRoot, List<PathMatcher> includes, List<PathMatcher> excludes,
            List<String> skipped) {

        List<Found> from(Path start) {
            List<Found> found = new ArrayList<>();
            visit(start, found);
            Collections.sort(found);
            return found;
        }

        private void visit(Path path, List<Found> found) {
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return; // gone since its directory was listed
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (attributes.isDirectory()) {
                // The walk never enters an excluded directory, so a visited path's ancestors are all kept.
                if (!matches(excludes, path)) {
                    found.add(new Found(path, path, attributes));
                    children(path).forEach(child -> visit(child, found));
                }
                return;
            }
            if (matches(excludes, path) || (!includes.isEmpty() && !matches(includes, path))) {
                return;
            }
            if (!attributes.isSymbolicLink()) {
                found.add(new Found(path, path, attributes));
                return;
            }
            Path resolved = linkTarget(path);
            BasicFileAttributes target = resolved == null ? null : attributes(resolved, false);
            if (target == null || !resolved.startsWith(realRoot) || !target.isRegularFile()
                    || excluded(source, realRoot.relativize(resolved), excludes)) {
                skipped.add(realRoot.relativize(path) + " -> " + readLink(path));
            } else {
                found.add(new Found(path, resolved, target));
            }
        }

        /** Whether a glob matches the path; the path below the root is only worked out when there are globs. */
        private boolean matches(List<PathMatcher> globs, Path path) {
            return !globs.isEmpty() && matchesAny(globs, source, realRoot.relativize(path));
        }

        List<Path> children(Path directory) {
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
                entries.forEach(children::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return children;
        }
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
            return Files.readAttributes(path, ATTRIBUTES, options);
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
