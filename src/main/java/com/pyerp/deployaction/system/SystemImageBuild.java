package com.pyerp.deployaction.system;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.Workflow;
import com.pyerp.deployaction.config.SystemPackagesSettings;
import com.pyerp.deployaction.debian.AptSource;
import com.pyerp.deployaction.debian.BinaryPackage;
import com.pyerp.deployaction.debian.Resolver;
import com.pyerp.deployaction.imagefs.ImageSource;
import com.pyerp.deployaction.registry.RegistryRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One run's system image, from the suites or from a matching lock. Pushed, it carries two tags: the suites' key
 * (a digest of the base, the request and the suites' signed Release files), which a run finds with only the
 * Release files fetched, and the set's key (a digest of the base and the resolved packages), which a run from the
 * lock finds with nothing fetched at all. A build that does not push gets it as a local tar.
 */
final class SystemImageBuild {

    /** Changes whenever the layer would come out differently from the same packages. */
    private static final String LAYER_FORMAT = "system-packages layer 2";

    /** A platform's layer as this run laid it. */
    private record Laid(BaseImage.Platform base, PackageLayers.Layer layer) {}

    /** What the stage shows: the image, its packages, and whether it was found rather than made. */
    record Outcome(SystemPackagesStage.Result result, List<PackageSet> sets, boolean reused, List<String> scripted) {}

    /** Where the base's layers are read from, per platform. */
    @FunctionalInterface
    interface BaseSource {
        ImageSource of(BaseImage.Platform platform);
    }

    private final SystemPackagesSettings settings;
    private final BaseImage image;
    private final BaseSource baseSource;
    private final SuiteIndexes indexes;
    private final DebDownloads downloads;
    private final Path scratch;
    private final Workflow workflow;
    private final Map<String, BaseFiles> baseFiles = new ConcurrentHashMap<>();
    private final List<String> scripted = new ArrayList<>();

    SystemImageBuild(SystemPackagesSettings settings, BaseImage image, BaseSource baseSource, SuiteIndexes indexes,
            DebDownloads downloads, Path scratch, Workflow workflow) {
        this.settings = settings;
        this.image = image;
        this.baseSource = baseSource;
        this.indexes = indexes;
        this.downloads = downloads;
        this.scratch = scratch;
        this.workflow = workflow;
    }

    /** Pushed to the target repository as {@code name}, or found there. */
    Outcome pushed(SystemImagePush push, String name) throws IOException, InterruptedException {
        Optional<PackageLock> lock = matchingLock();
        if (lock.isPresent()) {
            List<PackageSet> sets = lockedSets(lock.get());
            String setTag = setTag(sets);
            Optional<String> found = push.existing(setTag);
            if (found.isPresent()) {
                workflow.info("The lock matches: reusing " + name + ":" + setTag + " (nothing fetched).");
                return new Outcome(new SystemPackagesStage.Result.Pushed(name + "@" + found.get()), sets, true, List.of());
            }
            return pushedAs(push, name, laidFromLock(lock.get(), sets), List.of(setTag), sets);
        }
        List<PlatformPackages> platforms = fromSuites();
        String suitesTag = SystemPackagesStage.TAG_PREFIX + sha256(Stream.concat(Stream.of(LAYER_FORMAT),
                platforms.stream().map(PlatformPackages::key)).toList());
        Optional<String> found = push.existing(suitesTag);
        List<PackageSet> held = found.isPresent() ? push.packageSets(found.get()) : List.of();
        if (found.isPresent() && held.stream().noneMatch(set -> set.entries().isEmpty())) {
            workflow.info("The suites and the request are unchanged: reusing " + name + ":" + suitesTag
                    + " (no index or package downloaded).");
            push.tag(found.get(), setTag(held));
            writeLock(held);
            return new Outcome(new SystemPackagesStage.Result.Pushed(name + "@" + found.get()), held, true, List.of());
        }
        List<Resolver.Resolution> resolutions = resolve(platforms);
        List<PackageSet> sets = sets(platforms, resolutions);
        String setTag = setTag(sets);
        Optional<String> sameSet = push.existing(setTag);
        if (sameSet.isPresent()) {
            workflow.info("The suites changed, but not the packages: reusing " + name + ":" + setTag
                    + " (no package downloaded).");
            push.tag(sameSet.get(), suitesTag);
            writeLock(sets);
            return new Outcome(new SystemPackagesStage.Result.Pushed(name + "@" + sameSet.get()), sets, true, List.of());
        }
        List<Laid> laid = new ArrayList<>();
        for (int index = 0; index < platforms.size(); index++) {
            laid.add(lay(platforms.get(index).base(), resolutions.get(index).added(), sets.get(index),
                    downloads::fetch));
        }
        Outcome outcome = pushedAs(push, name, laid, List.of(suitesTag, setTag), sets);
        writeLock(sets);
        return outcome;
    }

    /** Written to a local tar, for a build that does not push (one platform). */
    Outcome local(Path tar, RegistryRepository base) throws IOException, InterruptedException {
        Optional<PackageLock> lock = matchingLock();
        Laid laid;
        List<PackageSet> sets;
        if (lock.isPresent()) {
            sets = lockedSets(lock.get());
            laid = laidFromLock(lock.get(), sets).get(0);
        } else {
            List<PlatformPackages> platforms = fromSuites();
            List<Resolver.Resolution> resolutions = resolve(platforms);
            sets = sets(platforms, resolutions);
            laid = lay(platforms.get(0).base(), resolutions.get(0).added(), sets.get(0), downloads::fetch);
        }
        SystemImage.Built documents = SystemImage.build(laid.base(), laid.layer().blob(), laid.layer().packages().encode());
        SystemImageTar.write(tar, base, laid.base(), laid.layer().blob(), documents);
        if (lock.isEmpty()) {
            writeLock(sets);
        }
        workflow.info("Wrote the system image to " + tar + " for a build that does not push.");
        return new Outcome(new SystemPackagesStage.Result.Local(tar), sets, false, List.copyOf(scripted));
    }

    private Outcome pushedAs(SystemImagePush push, String name, List<Laid> laid, List<String> tags,
            List<PackageSet> sets) throws IOException {
        List<SystemImage.Built> built = new ArrayList<>();
        for (Laid platform : laid) {
            push.baseLayers(platform.base());
            boolean had = push.layer(platform.layer().blob());
            workflow.info((had ? "reused   " : "pushed   ") + SystemPackagesStage.size(platform.layer().blob().size()) + " "
                    + platform.layer().blob().digest().substring(0, 19) + " (system packages, " + platform.base().platform()
                    + ")");
            built.add(SystemImage.build(platform.base(), platform.layer().blob(), platform.layer().packages().encode()));
        }
        String digest = push.documents(image, built, tags);
        workflow.info("Pushed the system image " + name + ":" + tags.get(0) + " (" + digest + ").");
        return new Outcome(new SystemPackagesStage.Result.Pushed(name + "@" + digest), sets, false, List.copyOf(scripted));
    }

    private List<PlatformPackages> fromSuites() throws IOException, InterruptedException {
        long started = System.nanoTime();
        List<PlatformPackages> platforms = new ArrayList<>();
        for (BaseImage.Platform platform : image.platforms()) {
            // The base's layers are read only for its default suites: a reused image needs nothing else of them.
            List<AptSource> sources = settings.sources().isEmpty()
                    ? DefaultSources.of(files(platform).osRelease(), platform.architecture()) : settings.sources();
            platforms.add(PlatformPackages.of(settings, platform, sources, indexes));
        }
        workflow.info(String.format("%d suite(s) verified in %.1f s", platforms.stream().mapToInt(platform ->
                platform.suites().size()).sum(), (System.nanoTime() - started) / 1e9));
        return platforms;
    }

    private List<Resolver.Resolution> resolve(List<PlatformPackages> platforms) throws IOException, InterruptedException {
        List<Resolver.Resolution> resolutions = new ArrayList<>();
        for (PlatformPackages platform : platforms) {
            long started = System.nanoTime();
            // The base's layers stream in while the indexes are parsed: network and CPU at once.
            CompletableFuture<BaseFiles> files = CompletableFuture.supplyAsync(() -> {
                try {
                    return files(platform.base());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CompletionException(e);
                }
            });
            List<BinaryPackage> candidates = platform.candidates(indexes);
            Resolver.Resolution resolution = platform.resolve(candidates, join(files));
            workflow.info(String.format("%s: %d to add for the %d requested, %d of them already in the base; indexes"
                    + " read and resolved in %.1f s", platform.base().platform(), resolution.added().size(),
                    settings.packages().size(), resolution.inBase().size(), (System.nanoTime() - started) / 1e9));
            resolutions.add(resolution);
        }
        return resolutions;
    }

    private static List<PackageSet> sets(List<PlatformPackages> platforms, List<Resolver.Resolution> resolutions) {
        List<PackageSet> sets = new ArrayList<>();
        for (int index = 0; index < platforms.size(); index++) {
            sets.add(PackageSet.of(platforms.get(index).base().architecture(), resolutions.get(index)));
        }
        return sets;
    }

    private List<Laid> laidFromLock(PackageLock lock, List<PackageSet> sets) throws IOException, InterruptedException {
        String given = settings.lock().orElseThrow().given();
        List<Laid> laid = new ArrayList<>();
        for (int index = 0; index < image.platforms().size(); index++) {
            BaseImage.Platform platform = image.platforms().get(index);
            List<BinaryPackage> added = lock.platform(platform).packages().stream().filter(PackageSet.Entry::added)
                    .map(entry -> PackageLock.binary(entry, given)).toList();
            Map<String, String> urls = new LinkedHashMap<>();
            lock.platform(platform).packages().forEach(entry -> urls.put(entry.sha256(), entry.url()));
            laid.add(lay(platform, added, sets.get(index), binary -> downloads.fetch(binary,
                    URI.create(urls.get(binary.sha256())), "the lock " + given, uri -> gone(uri, binary, given))));
        }
        return laid;
    }

    private Laid lay(BaseImage.Platform platform, List<BinaryPackage> added, PackageSet set,
            Function<BinaryPackage, Path> fetch) throws IOException, InterruptedException {
        PackageLayers.Layer layer = PackageLayers.lay(platform, files(platform), added, set, fetch, scratch, workflow);
        scripted.addAll(layer.scripted());
        return new Laid(platform, layer);
    }

    private BaseFiles files(BaseImage.Platform platform) throws IOException, InterruptedException {
        BaseFiles files = baseFiles.get(platform.digest());
        if (files == null) {
            files = BaseFiles.read(baseSource.of(platform), workflow::info);
            baseFiles.put(platform.digest(), files);
        }
        return files;
    }

    private static BaseFiles join(CompletableFuture<BaseFiles> files) throws IOException, InterruptedException {
        try {
            return files.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (e.getCause() instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    private Optional<PackageLock> matchingLock() {
        return settings.lock().flatMap(lock -> PackageLock.read(lock.path(), lock.given()))
                .filter(lock -> lock.matches(request(), settings.packages().stream().map(Resolver.Request::name).toList(),
                        sources(), image.platforms()));
    }

    private List<PackageSet> lockedSets(PackageLock lock) {
        return image.platforms().stream().map(platform -> new PackageSet(platform.architecture(),
                lock.platform(platform).packages())).toList();
    }

    private void writeLock(List<PackageSet> sets) {
        settings.lock().ifPresent(lock -> {
            List<PackageLock.Platform> platforms = new ArrayList<>();
            for (int index = 0; index < sets.size(); index++) {
                BaseImage.Platform platform = image.platforms().get(index);
                platforms.add(new PackageLock.Platform(platform.platform(), platform.digest(), sets.get(index).entries()));
            }
            boolean existed = Files.exists(lock.path());
            new PackageLock(PackageLock.VERSION, request(), sources(), platforms).write(lock.path());
            workflow.notice("System packages lock written", (existed ? lock.given() + " was made for another request,"
                    + " other sources or another base image, and was written anew" : "Wrote " + lock.given())
                    + ". Commit it: builds that match it then take the packages from it without fetching any index.");
        });
    }

    /** The set's key: the base and each platform's packages, whatever the suites' Release files say. */
    private String setTag(List<PackageSet> sets) {
        List<String> lines = new ArrayList<>(List.of(LAYER_FORMAT, "set"));
        for (int index = 0; index < sets.size(); index++) {
            lines.add(image.platforms().get(index).digest());
            sets.get(index).entries().forEach(entry -> lines.add(entry.name() + " " + entry.version() + " "
                    + entry.architecture() + " " + entry.sha256() + " " + entry.added()));
        }
        return SystemPackagesStage.TAG_PREFIX + sha256(lines);
    }

    private List<String> request() {
        return settings.packages().stream().map(Resolver.Request::toString).toList();
    }

    private List<String> sources() {
        return settings.sources().stream().map(Object::toString).toList();
    }

    private static ActionException gone(URI uri, BinaryPackage binary, String lock) {
        return new ActionException("System packages: locked package gone", uri + " (" + binary.describe() + ", from "
                + lock + ") is no longer on the mirror: Debian's mirrors keep only the current versions. Refresh the"
                + " lock: delete " + lock + ", run the build again, and commit the lock it writes.");
    }

    private static String sha256(List<String> lines) {
        return SystemPackagesStage.sha256(String.join("\n", lines)).substring(0, 32);
    }
}
