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
 * finds the image and downloads no index and no package, and a suite's update makes a new one. A build that does
 * not push gets the system image as a local tar instead.
 */
public final class SystemPackagesStage {

    static final String TAG_PREFIX = "pyerp-system-";

    /** @param platforms as the build makes them; empty for Jib's default, linux/amd64 */
    public record Plan(SystemPackagesSettings settings, ImageReference base, List<String> platforms) {}

    /**
     * Where the system image goes: the first image name's repository, with the build's login, when the build
     * pushes; else a local tar ({@code push} false), with that login still reading the base image.
     */
    public record Target(String imageName, Optional<Credential> credential, DockerConfig dockerConfig,
            Set<String> insecureRegistries, boolean push) {}

    /** The system image for the build to start from. */
    public sealed interface Result {
        /** By digest, {@code imageName@sha256:…}, found in the target repository or pushed there. */
        record Pushed(String reference) implements Result {}

        /** A {@code docker load}-able tar in the runner's temporary directory, which the caller deletes. */
        record Local(Path tar) implements Result {}
    }

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
        spec.platforms().forEach(DebianArchitecture::of);
        try {
            return new Plan(settings, ImageReference.parse(base), spec.platforms());
        } catch (InvalidImageReferenceException e) {
            throw new ActionException("Invalid input: base-image", "'" + base + "' is not a valid image reference;"
                    + " use registry/owner/name[:tag][@sha256:digest].");
        }
    }

    public Result run(Plan plan, Target target) {
        Result[] result = new Result[1];
        workflow.group("System packages", () -> result[0] = build(plan, target));
        return result[0];
    }

    private Result build(Plan plan, Target target) {
        ImageReference destination = destination(target.imageName());
        ImageReference base = plan.base();
        Optional<Credential> baseCredential = target.dockerConfig().pullCredential(base.getRegistry(),
                destination.getRegistry(), target.credential());
        boolean baseInsecure = target.insecureRegistries().contains(base.getRegistry());
        RegistryRepository baseRepository = new RegistryRepository(base.getRegistry(), base.getRepository(),
                baseCredential, baseInsecure, "pull");
        Path scratch = scratch();
        try {
            BaseImage image = BaseImage.read(baseRepository, base.toString(), base.getQualifier(), plan.platforms());
            if (!target.push() && image.platforms().size() > 1) {
                throw new ActionException("System packages: several platforms, no push", "A build that does not push"
                        + " makes one platform, and platforms names " + image.platforms().size() + ". Push, or build"
                        + " one platform per job.");
            }
            HttpArchive mirror = new HttpArchive();
            SystemImageBuild build = new SystemImageBuild(plan.settings(), image, platform -> new RegistryImageSource(
                    base.getRegistry(), base.getRepository(), platform.digest(), baseCredential, baseInsecure),
                    new SuiteIndexes(plan.settings().keyring(), mirror, clock.instant()),
                    new DebDownloads(mirror, LocalCache.in(env).directory("debs")), scratch, workflow);
            SystemImageBuild.Outcome outcome;
            if (target.push()) {
                RegistryRepository targetRepository = new RegistryRepository(destination.getRegistry(),
                        destination.getRepository(), target.credential(), target.insecureRegistries().contains(
                                destination.getRegistry()), "push,pull");
                outcome = build.pushed(new SystemImagePush(targetRepository, baseRepository, base.getRepository(),
                        scratch), target.imageName());
            } else {
                outcome = local(build, baseRepository);
            }
            notice(outcome.scripted());
            summary(outcome.sets(), outcome.reused());
            return outcome.result();
        } catch (IOException e) {
            throw new ActionException("System packages: registry failed", "Reading the base image " + base
                    + (target.push() ? " or pushing the system image to " + target.imageName() : "") + " failed ("
                    + e.getMessage() + "). Nothing was built.", e);
        } catch (IllegalArgumentException e) {
            throw new ActionException("System packages: base image not usable", "The registry's documents for " + base
                    + " could not be read (" + e.getMessage() + "). Nothing was built.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ActionException("Build interrupted", "The system packages were interrupted.");
        } finally {
            delete(scratch);
        }
    }

    /** A tar in the runner's temporary directory, outside the scratch directory: the build reads it after. */
    private SystemImageBuild.Outcome local(SystemImageBuild build, RegistryRepository base)
            throws IOException, InterruptedException {
        Path tar = Files.createTempFile(RunnerTemp.parent(env), "pyerp-system-image-", ".tar");
        try {
            return build.local(tar, base);
        } catch (IOException | InterruptedException | RuntimeException e) {
            Files.deleteIfExists(tar);
            throw e;
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
        workflow.summary(Markdown.heading("System packages") + (reused ? "Reused from the registry: no package was"
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
