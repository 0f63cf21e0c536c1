package com.pyerp.deployaction.system;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.LocalCache;
import com.pyerp.deployaction.action.Markdown;
import com.pyerp.deployaction.action.RunnerTemp;
import com.pyerp.deployaction.action.Workflow;
import com.pyerp.deployaction.config.BuildSpec;
import com.pyerp.deployaction.config.SystemPackagesSettings;
import com.pyerp.deployaction.imagefs.RegistryImageSource;
import com.pyerp.deployaction.registry.Credential;
import com.pyerp.deployaction.registry.DockerConfig;
import com.pyerp.deployaction.registry.RegistryRepository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The system-packages stage: the requested Debian packages, resolved against the base image's dpkg database and
 * the signed suites, unpacked into one layer above the base's, and pushed with the base as the <em>system image</em>
 * ({@value #TAG_PREFIX}… in the target repository), which the build then starts from. The tag is a digest of
 * everything the layer depends on, the suites' signed Release files included: while none of that changes, a run
 * finds the image and downloads no index and no package, and a suite's update makes a new one.
 */
public final class SystemPackagesStage {

    static final String TAG_PREFIX = "pyerp-system-";
    /** Changes whenever the layer would come out differently from the same packages. */
    private static final String LAYER_FORMAT = "system-packages layer 1";

    /** @param platforms as the build makes them; empty for Jib's default, linux/amd64 */
    public record Plan(SystemPackagesSettings settings, ImageReference base, List<String> platforms) {}

    /** Where the system image goes: the first image name's repository, with the build's login. */
    public record Target(String imageName, Optional<Credential> credential, DockerConfig dockerConfig,
            Set<String> insecureRegistries) {}

    private final Workflow workflow;
    private final Map<String, String> env;
    private final Clock clock;

    public SystemPackagesStage(Workflow workflow, Map<String, String> env, Clock clock) {
        this.workflow = workflow;
        this.env = env;
        this.clock = clock;
    }

    public Plan plan(SystemPackagesSettings settings, BuildSpec spec) {
        String base = spec.baseImage();
        if (base == null || base.isBlank() || base.equals("scratch")) {
            throw new ActionException("Invalid input: system-packages", "system-packages needs a Debian or Ubuntu base"
                    + " image to add the packages to, and the base image is " + (base == null || base.isBlank() ? "not set"
                            : "scratch") + ". Set base-image, for example python:3.11-slim-bookworm.");
        }
        settings.lock().ifPresent(lock -> {
            throw new ActionException("Invalid input: system-packages-lock", "Input 'system-packages-lock' is '"
                    + lock.given() + "', but this version of the action cannot write or read a lock yet, and a lock"
                    + " that is not kept would be worse than none. Remove system-packages-lock: the build then resolves"
                    + " from the suites, and reuses its image while they are unchanged.");
        });
        spec.platforms().forEach(DebianArchitecture::of);
        try {
            return new Plan(settings, ImageReference.parse(base), spec.platforms());
        } catch (InvalidImageReferenceException e) {
            throw new ActionException("Invalid input: base-image", "'" + base + "' is not a valid image reference;"
                    + " use registry/owner/name[:tag][@sha256:digest].");
        }
    }

    /** The system image by digest ({@code imageName@sha256:…}), found in the target repository or pushed there. */
    public String run(Plan plan, Target target) {
        String[] result = new String[1];
        workflow.group("System packages", () -> result[0] = build(plan, target));
        return result[0];
    }

    private String build(Plan plan, Target target) {
        ImageReference destination = destination(target.imageName());
        ImageReference base = plan.base();
        RegistryRepository targetRepository = new RegistryRepository(destination.getRegistry(),
                destination.getRepository(), target.credential(), target.insecureRegistries().contains(
                        destination.getRegistry()), "push,pull");
        Optional<Credential> baseCredential = target.dockerConfig().pullCredential(base.getRegistry(),
                destination.getRegistry(), target.credential());
        boolean baseInsecure = target.insecureRegistries().contains(base.getRegistry());
        RegistryRepository baseRepository = new RegistryRepository(base.getRegistry(), base.getRepository(),
                baseCredential, baseInsecure, "pull");
        Path scratch = scratch();
        try {
            BaseImage image = BaseImage.read(baseRepository, base.toString(), base.getQualifier(), plan.platforms());
            SuiteIndexes indexes = new SuiteIndexes(plan.settings().keyring(), new HttpArchive(), clock.instant());
            List<PlatformPackages> platforms = new ArrayList<>();
            for (BaseImage.Platform platform : image.platforms()) {
                BaseFiles files = BaseFiles.read(new RegistryImageSource(base.getRegistry(),
                        base.getRepository(), platform.digest(), baseCredential, baseInsecure), workflow::info);
                platforms.add(PlatformPackages.of(plan.settings(), platform, files, indexes));
            }
            String tag = TAG_PREFIX + sha256(String.join("\n", Stream.concat(Stream.of(LAYER_FORMAT, image.digest()),
                    platforms.stream().map(PlatformPackages::key)).toList())).substring(0, 32);
            Optional<String> existing = targetRepository.manifestDigest(tag);
            if (existing.isPresent()) {
                workflow.info("The suites and the request are unchanged: reusing " + target.imageName() + ":" + tag
                        + " (no index or package downloaded).");
                summary(ReusedImage.packageSets(targetRepository, existing.get()), true);
                return target.imageName() + "@" + existing.get();
            }
            SystemImagePush push = new SystemImagePush(targetRepository, baseRepository, base.getRepository(), scratch);
            DebDownloads downloads = new DebDownloads(new HttpArchive(), LocalCache.in(env).directory("debs"));
            List<SystemImage.Built> built = new ArrayList<>();
            List<PackageSet> sets = new ArrayList<>();
            for (PlatformPackages platform : platforms) {
                PlatformPackages.Layer layer = platform.layer(indexes, downloads, scratch, workflow);
                sets.add(layer.packages());
                push.baseLayers(platform.base());
                boolean had = push.layer(layer.blob(), sent -> {});
                workflow.info((had ? "reused   " : "pushed   ") + size(layer.blob().size()) + " "
                        + layer.blob().digest().substring(0, 19) + " (system packages, " + platform.base().platform() + ")");
                SystemImage.Built documents = SystemImage.build(platform.base(), layer.blob(), layer.packages().encode());
                push.manifest(documents, platforms.size() == 1 && platform.base().entry() == null ? tag
                        : documents.manifestDigest());
                built.add(documents);
                notice(layer.scripted());
            }
            String digest;
            if (built.size() == 1 && built.get(0).baseEntry() == null) {
                digest = built.get(0).manifestDigest();
            } else {
                RegistryRepository.Document index = SystemImage.index(image.top(), built);
                push.index(index, tag);
                digest = RegistryRepository.digest(index.bytes());
            }
            workflow.info("Pushed the system image " + target.imageName() + ":" + tag + " (" + digest + ").");
            summary(sets, false);
            return target.imageName() + "@" + digest;
        } catch (IOException e) {
            throw new ActionException("System packages: registry failed", "Reading the base image " + base + " or"
                    + " pushing the system image to " + target.imageName() + " failed (" + e.getMessage() + "). Nothing"
                    + " was built.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ActionException("Build interrupted", "The system packages were interrupted.");
        } finally {
            delete(scratch);
        }
    }

    private static ImageReference destination(String imageName) {
        try {
            return ImageReference.parse(imageName);
        } catch (InvalidImageReferenceException e) {
            throw new ActionException("Invalid input: images", "'" + imageName + "' is not a valid image name.");
        }
    }

    private void notice(List<String> scripted) {
        if (!scripted.isEmpty()) {
            workflow.notice("Maintainer scripts not run", "The action never runs package scripts; these packages have"
                    + " some, which were skipped: " + String.join(", ", scripted) + ".");
        }
    }

    private void summary(List<PackageSet> sets, boolean reused) {
        List<List<String>> rows = new ArrayList<>();
        for (PackageSet set : sets) {
            set.entries().stream().sorted(Comparator.comparing(PackageSet.Entry::name)).forEach(entry -> rows.add(List.of(
                    Markdown.code(entry.name()), Markdown.code(entry.version()), entry.architecture(),
                    entry.added() ? size(entry.size()) : "", entry.added() ? "added" : "in the base")));
        }
        String totals = sets.stream().map(set -> set.architecture() + ": " + set.addedCount() + " added, "
                + size(set.addedBytes())).reduce((a, b) -> a + "; " + b).orElse("");
        workflow.info("System packages " + (reused ? "(reused) " : "") + totals);
        workflow.summary(Markdown.heading("System packages") + (reused ? "Reused from the registry: nothing was"
                + " downloaded.\n\n" : "") + Markdown.table(List.of("package", "version", "architecture", "size", ""), rows));
    }

    static String size(long bytes) {
        return bytes >= 1 << 20 ? String.format("%.1f MiB", bytes / 1048576.0) : String.format("%.1f KiB", bytes / 1024.0);
    }

    static String sha256(String text) {
        return RegistryRepository.digest(text.getBytes(StandardCharsets.UTF_8)).substring("sha256:".length());
    }

    private Path scratch() {
        try {
            return Files.createTempDirectory(RunnerTemp.parent(env), "pyerp-system-");
        } catch (IOException e) {
            throw new ActionException("No temporary space", "Could not create a temporary directory for the system"
                    + " packages (" + e.getMessage() + ").", e);
        }
    }

    private static void delete(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // the runner empties its temporary directory after the job
        }
    }
}
