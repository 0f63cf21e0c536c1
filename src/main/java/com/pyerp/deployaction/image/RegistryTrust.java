package com.pyerp.deployaction.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.global.JibSystemProperties;
import com.pyerp.deployaction.action.ActionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Keeps insecure-registries to the registries it lists, although Jib's setting covers a whole build: Jib reaches
 * every registry of a build through one HTTP client, which with insecure registries allowed retries any of them with
 * certificate and host name checks off, then over plain HTTP, sending the credentials along. So a Jib run allows that
 * only when every registry it talks to is listed. When the base image's registry and the target's are listed
 * differently, the base image is first pulled on its own into a tar, with only its registry's setting and
 * credential, and the image is then built from that tar and pushed with only the target's.
 */
final class RegistryTrust {

    /** The name inside the staged tar, which nothing reads: not the base's, whose digest would not fit a tar's tags. */
    private static final ImageReference STAGED_NAME = ImageReference.of(null, "pyerp-deploy-action/base", "staged");

    /** How the build runs Jib. */
    enum Plan {
        /** One run, every registry over verified TLS. */
        VERIFIED,
        /** One run, every registry it talks to listed. */
        INSECURE,
        /** The base image first, in a run of its own: see {@link #stageBase}. */
        STAGED_BASE
    }

    /** The base image in a tar of its own, in a private directory that {@link #close} deletes. */
    record StagedBase(Path directory) implements AutoCloseable {

        Path tar() {
            return directory.resolve("base.tar");
        }

        /**
         * A base-image cache for the run from the tar alone: Jib takes a tar's layer from its cache when it holds the
         * same content, however compressed, and a layer compressed otherwise would change the image's digest.
         */
        Path layersCache() {
            return directory.resolve("layers");
        }

        @Override
        public void close() {
            try (Stream<Path> paths = Files.walk(directory)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException | RuntimeException ignored) {
                // the runner empties its temporary directory after the job
            }
        }
    }

    /** A failure of the base image's own run: it concerns the base image's registry, not the target's. */
    static final class BaseImageFailure extends Exception {
        private final String registry;

        BaseImageFailure(String registry, Exception cause) {
            super(null, cause);
            this.registry = registry;
        }

        String registry() {
            return registry;
        }
    }

    private RegistryTrust() {}

    static Plan plan(ImageBuilder.Request request) {
        List<String> registries = new ArrayList<>();
        base(request).ifPresent(base -> registries.add(base.getRegistry()));
        if (request.tarPath() == null) {
            registries.add(ImageBuilder.reference(request.imageName(), "images").getRegistry());
        }
        long listed = registries.stream().filter(request.insecureRegistries()::contains).count();
        return listed == 0 ? Plan.VERIFIED : listed == registries.size() ? Plan.INSECURE : Plan.STAGED_BASE;
    }

    /**
     * Pulls the base image into a Docker-format tar (the format Jib reads a base image from), which keeps the
     * registry's compressed layers and so their digests. It is created when the image will be, so that the history
     * entries Jib adds for layers without one are the same as in a single run.
     */
    static StagedBase stageBase(ImageBuilder.Request request, Consumer<LogEvent> log)
            throws BaseImageFailure, InterruptedException {
        ImageReference base = base(request).orElseThrow();
        String target = ImageBuilder.reference(request.imageName(), "images").getRegistry();
        if (request.spec().platforms().size() > 1) {
            throw new ActionException("Platforms and insecure-registries", "insecure-registries lists only one of "
                    + base.getRegistry() + " (base image) and " + target + " (target), so the base image is pulled on"
                    + " its own first, and that works for one platform only, not " + request.spec().platforms().size()
                    + ". Build one platform per job, or copy the base image to a registry listed like the target (for"
                    + " example the target registry itself).");
        }
        StagedBase staged = new StagedBase(privateDirectory(request));
        try {
            JibContainerBuilder pull = Jib.from(ImageBuilder.baseImage(base, request))
                    .setCreationTime(ImageBuilder.creationTime(request));
            if (!request.spec().platforms().isEmpty()) {
                pull.setPlatforms(ImageBuilder.platforms(request.spec()));
            }
            containerize(pull, Containerizer.to(TarImage.at(staged.tar()).named(STAGED_NAME))
                    .setToolName(ImageBuilder.TOOL_NAME)
                    .addEventHandler(LogEvent.class, log::accept), request.insecureRegistries().contains(base.getRegistry()));
            return staged;
        } catch (InterruptedException | ActionException e) {
            staged.close();
            throw e;
        } catch (Exception e) {
            staged.close();
            throw new BaseImageFailure(base.getRegistry(), e);
        }
    }

    /**
     * Runs Jib, allowing unverified TLS and plain HTTP only when {@code insecure}: when every registry of this run is
     * listed. Only then may credentials go over plain HTTP too, and Jib's one switch for that, a system property it
     * reads when the run starts, is set for this run alone.
     */
    static JibContainer containerize(JibContainerBuilder builder, Containerizer containerizer, boolean insecure)
            throws Exception {
        containerizer.setAllowInsecureRegistries(insecure);
        if (!insecure) {
            return builder.containerize(containerizer);
        }
        String before = System.getProperty(JibSystemProperties.SEND_CREDENTIALS_OVER_HTTP);
        System.setProperty(JibSystemProperties.SEND_CREDENTIALS_OVER_HTTP, "true");
        try {
            return builder.containerize(containerizer);
        } finally {
            if (before == null) {
                System.clearProperty(JibSystemProperties.SEND_CREDENTIALS_OVER_HTTP);
            } else {
                System.setProperty(JibSystemProperties.SEND_CREDENTIALS_OVER_HTTP, before);
            }
        }
    }

    /** The base image's registry reference, empty for scratch, a tar the run made (or none, which the build rejects). */
    private static Optional<ImageReference> base(ImageBuilder.Request request) {
        String base = request.spec().baseImage();
        return base == null || base.isBlank() || base.equals("scratch") || request.baseTar().isPresent() ? Optional.empty()
                : Optional.of(ImageBuilder.reference(base, "base-image"));
    }

    private static Path privateDirectory(ImageBuilder.Request request) {
        try {
            return Files.createTempDirectory(request.temporaryDirectory(), "pyerp-base-image-");
        } catch (IOException e) {
            throw new ActionException("No temporary space", "Could not create a temporary directory in "
                    + request.temporaryDirectory() + " for the base image (" + e.getMessage() + ").", e);
        }
    }
}
