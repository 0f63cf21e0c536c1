package com.pyerp.deployaction.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import com.google.cloud.tools.jib.api.buildplan.Port;
import com.google.cloud.tools.jib.configuration.ContainerConfiguration;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.Workflow;
import com.pyerp.deployaction.config.BuildSpec;
import com.pyerp.deployaction.registry.Credential;
import com.pyerp.deployaction.registry.DockerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Builds one image with jib-core and pushes it (or writes a tar), retrying transient registry failures. */
public final class ImageBuilder {

    static final String DEFAULT_USER = "10001:10001";
    /** How the image history names the tool: Jib writes this name, a colon and Jib's idea of its version. */
    static final String TOOL_NAME = "pyerp-deploy-action";
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);

    /**
     * @param imageName repository without tag, e.g. {@code ghcr.io/o/app}
     * @param tarPath where to write a {@code docker load}-able tar instead of pushing; null to push
     * @param targetCredential for the target registry only
     * @param temporaryDirectory where the build may make a private directory for files it deletes afterwards
     * @param attempts whole build-and-push attempts when the registry fails transiently
     * @param baseTar the base image as a {@code docker load}-able tar made by the run (the system image of a build
     *     that does not push), in place of the registry's {@code spec.baseImage()}
     */
    public record Request(
            BuildSpec spec,
            List<LayerPlanner.Planned> layers,
            Map<String, String> labels,
            Instant creationTime,
            String imageName,
            List<String> tags,
            Path tarPath,
            Optional<Credential> targetCredential,
            Set<String> insecureRegistries,
            DockerConfig dockerConfig,
            Path temporaryDirectory,
            int attempts,
            Optional<Path> baseTar) {

        /** A build from the registry's base image. */
        public Request(BuildSpec spec, List<LayerPlanner.Planned> layers, Map<String, String> labels, Instant creationTime,
                String imageName, List<String> tags, Path tarPath, Optional<Credential> targetCredential,
                Set<String> insecureRegistries, DockerConfig dockerConfig, Path temporaryDirectory, int attempts) {
            this(spec, layers, labels, creationTime, imageName, tags, tarPath, targetCredential, insecureRegistries,
                    dockerConfig, temporaryDirectory, attempts, Optional.empty());
        }

        /** The same build and push with another definition and other layers. */
        Request with(BuildSpec otherSpec, List<LayerPlanner.Planned> otherLayers) {
            return new Request(otherSpec, otherLayers, labels, creationTime, imageName, tags, tarPath, targetCredential,
                    insecureRegistries, dockerConfig, temporaryDirectory, attempts, baseTar);
        }
    }

    /** {@code blobs}: every layer and the configuration, and whether the registry already had it. */
    public record Result(String image, String digest, String imageId, boolean pushed, List<PushReport.Blob> blobs) {}

    private ImageBuilder() {}

    public static Result build(Request request, Workflow workflow) {
        ImageReference target = reference(request.imageName() + ":" + request.tags().get(0), "images");
        int attempts = request.attempts();
        for (int attempt = 1; ; attempt++) {
            try {
                PushReport report = new PushReport();
                JibContainer container = containerize(request, target, workflow, report);
                List<PushReport.Blob> blobs = request.tarPath() == null ? report.blobs() : List.of();
                logBlobs(blobs, workflow);
                return new Result(request.imageName() + "@" + container.getDigest(), container.getDigest().toString(),
                        container.getImageId().toString(), request.tarPath() == null, blobs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ActionException("Build interrupted", "The image build was interrupted.");
            } catch (ActionException e) {
                throw e;
            } catch (Exception e) {
                String registry = e instanceof RegistryTrust.BaseImageFailure failure ? failure.registry()
                        : target.getRegistry();
                if (!RegistryFailures.isTransient(e) || attempt >= attempts) {
                    throw new ActionException(attempt >= attempts && RegistryFailures.isTransient(e)
                            ? "Registry kept failing" : "Image build failed",
                            RegistryFailures.describe(e) + (attempt > 1 ? " (attempt " + attempt + " of " + attempts + ")"
                                    : "") + ". " + RegistryFailures.advice(e, registry, registry.equals("ghcr.io")), e);
                }
                Duration wait = RegistryFailures.retryAfter(e).orElse(backoff(attempt));
                long seconds = Math.max(1, Math.round(wait.toMillis() / 1000.0));
                workflow.warning("Registry hiccup", RegistryFailures.describe(e) + "; retrying in " + seconds + " s (attempt "
                        + (attempt + 1) + " of " + attempts + "). Blobs already pushed are not sent again.");
                sleep(wait);
            }
        }
    }

    static void logBlobs(List<PushReport.Blob> blobs, Workflow workflow) {
        blobs.forEach(blob -> workflow.info(String.format("%-8s %-9s %s %s", blob.reused() ? "reused" : "pushed",
                PushReport.size(blob.bytes()), blob.digest().substring(0, 19),
                blob.name().isEmpty() ? "" : "(" + blob.name() + ")")));
    }

    /** One Jib run, or two when the base image's registry and the target's are listed differently (RegistryTrust). */
    private static JibContainer containerize(Request request, ImageReference target, Workflow workflow, PushReport report)
            throws Exception {
        BuildSpec spec = request.spec();
        if (spec.baseImage() == null || spec.baseImage().isBlank()) {
            throw new ActionException("No base image", "Neither the base-image input nor from.image in the build file"
                    + " names a base image. Set base-image, for example a Debian python3 runtime pinned by digest.");
        }
        RegistryTrust.Plan plan = RegistryTrust.plan(request);
        if (plan != RegistryTrust.Plan.STAGED_BASE) {
            JibContainerBuilder from = request.baseTar().isPresent() ? Jib.from(TarImage.at(request.baseTar().get()))
                    : spec.baseImage().equals("scratch") ? Jib.fromScratch()
                    : Jib.from(baseImage(reference(spec.baseImage(), "base-image"), request));
            return RegistryTrust.containerize(builder(request, from), containerizer(request, target, workflow, report),
                    plan == RegistryTrust.Plan.INSECURE);
        }
        long[] lastProgress = {0};
        try (RegistryTrust.StagedBase base = RegistryTrust.stageBase(request, event -> log(event, workflow, lastProgress))) {
            return RegistryTrust.containerize(builder(request, Jib.from(TarImage.at(base.tar()))),
                    containerizer(request, target, workflow, report).setBaseImageLayersCache(base.layersCache()),
                    request.insecureRegistries().contains(target.getRegistry()));
        }
    }

    private static JibContainerBuilder builder(Request request, JibContainerBuilder builder) {
        BuildSpec spec = request.spec();
        request.layers().forEach(layer -> builder.addFileEntriesLayer(layer.layer()));
        builder.setLabels(labels(request))
                .setCreationTime(creationTime(request))
                .setFormat("oci".equals(spec.format()) ? ImageFormat.OCI : ImageFormat.Docker)
                .setUser(user(spec));
        spec.environment().forEach(builder::addEnvironmentVariable);
        for (String volume : spec.volumes()) {
            builder.addVolume(AbsoluteUnixPath.get(volume));
        }
        for (String port : spec.exposedPorts()) {
            builder.addExposedPort(port(port));
        }
        if (spec.workingDirectory() != null) {
            builder.setWorkingDirectory(AbsoluteUnixPath.get(spec.workingDirectory()));
        }
        if (spec.entrypoint() != null) {
            builder.setEntrypoint(spec.entrypoint());
        }
        if (spec.cmd() != null) {
            builder.setProgramArguments(spec.cmd());
        }
        if (!spec.platforms().isEmpty()) {
            builder.setPlatforms(platforms(spec));
        }
        return builder;
    }

    static Set<Platform> platforms(BuildSpec spec) {
        Set<Platform> platforms = new LinkedHashSet<>();
        for (String platform : spec.platforms()) {
            String[] parts = platform.split("/", 2);
            platforms.add(new Platform(parts[1], parts[0]));
        }
        return platforms;
    }

    /**
     * What {@link #builder} tells Jib about the container, made the way Jib's JibContainerBuilder passes it on, for
     * {@link TopLayerPush}: each call here must match one there, in the same order, or the digests part.
     */
    static ContainerConfiguration containerConfiguration(Request request) {
        BuildSpec spec = request.spec();
        ContainerConfiguration.Builder configuration = ContainerConfiguration.builder()
                .setLabels(labels(request))
                .setCreationTime(creationTime(request))
                .setUser(user(spec));
        spec.environment().forEach(configuration::addEnvironment);
        for (String volume : spec.volumes()) {
            configuration.addVolume(AbsoluteUnixPath.get(volume));
        }
        for (String port : spec.exposedPorts()) {
            configuration.addExposedPort(port(port));
        }
        if (spec.workingDirectory() != null) {
            configuration.setWorkingDirectory(AbsoluteUnixPath.get(spec.workingDirectory()));
        }
        if (spec.entrypoint() != null) {
            configuration.setEntrypoint(spec.entrypoint());
        }
        if (spec.cmd() != null) {
            configuration.setProgramArguments(spec.cmd());
        }
        return configuration.build();
    }

    private static Map<String, String> labels(Request request) {
        Map<String, String> labels = new LinkedHashMap<>(request.spec().labels());
        labels.putAll(request.labels());
        return labels;
    }

    static Instant creationTime(Request request) {
        return request.spec().creationTime() != null ? request.spec().creationTime() : request.creationTime();
    }

    private static String user(BuildSpec spec) {
        return spec.user() != null ? spec.user() : DEFAULT_USER;
    }

    private static Port port(String port) {
        String[] parts = port.split("/");
        return Port.parseProtocol(Integer.parseInt(parts[0]), parts[1]);
    }

    static RegistryImage baseImage(ImageReference base, Request request) {
        RegistryImage image = RegistryImage.named(base);
        baseCredential(base, request).ifPresent(credential -> image.addCredential(credential.username(), credential.secret()));
        return image;
    }

    /** See {@link DockerConfig#pullCredential}. */
    static Optional<Credential> baseCredential(ImageReference base, Request request) {
        return request.dockerConfig().pullCredential(base.getRegistry(),
                reference(request.imageName(), "images").getRegistry(), request.targetCredential());
    }

    private static Containerizer containerizer(Request request, ImageReference target, Workflow workflow,
            PushReport report) {
        Containerizer containerizer;
        if (request.tarPath() != null) {
            containerizer = Containerizer.to(TarImage.at(request.tarPath()).named(target));
        } else {
            RegistryImage image = RegistryImage.named(target);
            request.targetCredential().ifPresent(credential -> image.addCredential(credential.username(), credential.secret()));
            containerizer = Containerizer.to(image);
        }
        request.tags().stream().skip(1).forEach(containerizer::withAdditionalTag);
        long[] lastProgress = {0};
        return containerizer
                .setToolName(TOOL_NAME)
                .addEventHandler(LogEvent.class, event -> {
                    report.on(event);
                    log(event, workflow, lastProgress);
                })
                .addEventHandler(ProgressEvent.class, report::on);
    }

    private static void log(LogEvent event, Workflow workflow, long[] lastProgress) {
        switch (event.getLevel()) {
            // The HTTPS-then-HTTP probing of registries listed in insecure-registries is expected, not news.
            case ERROR, WARN -> {
                if (event.getMessage().contains("Attempting again")) {
                    workflow.debug(event.getMessage());
                } else {
                    workflow.info("jib: " + event.getMessage());
                }
            }
            case LIFECYCLE -> workflow.info(event.getMessage());
            case PROGRESS -> {
                long now = System.nanoTime();
                if (now - lastProgress[0] >= PROGRESS_INTERVAL.toNanos()) {
                    lastProgress[0] = now;
                    workflow.info(event.getMessage());
                }
            }
            // Jib lists every file of every layer at debug level, one event each: thousands of lines.
            default -> {
                if (!event.getMessage().startsWith("\t")) {
                    workflow.debug(event.getMessage());
                }
            }
        }
    }

    static ImageReference reference(String reference, String inputName) {
        try {
            return ImageReference.parse(reference);
        } catch (InvalidImageReferenceException e) {
            throw new ActionException("Invalid input: " + inputName, "'" + reference + "' is not a valid image reference;"
                    + " use registry/owner/name[:tag][@sha256:digest].");
        }
    }

    /** 1 s, 2 s, 4 s, … with ±50 % jitter, so that parallel jobs do not retry in step. */
    private static Duration backoff(int attempt) {
        long base = FIRST_BACKOFF.toMillis() << (attempt - 1);
        return Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base));
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ActionException("Build interrupted", "The image build was interrupted while waiting to retry.");
        }
    }
}
