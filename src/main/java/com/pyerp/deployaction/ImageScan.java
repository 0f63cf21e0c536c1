package com.pyerp.deployaction;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.config.PipelineSettings;
import com.pyerp.deployaction.image.BuildStage;
import com.pyerp.deployaction.image.ImageBuilder;
import com.pyerp.deployaction.imagefs.ImageSource;
import com.pyerp.deployaction.imagefs.RegistryImageSource;
import com.pyerp.deployaction.imagefs.TarImageSource;
import com.pyerp.deployaction.results.ImageMetadata;
import com.pyerp.deployaction.scan.ScanStage;
import com.pyerp.deployaction.scan.report.ScannedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How the build and the scan fit together. A pushed image is read back from the registry with the login the build
 * used; a tar (output: tar:PATH, a fork's pull request, push: false) is read in place. With scan-before-push the
 * image is first built to a local tar and scanned, and pushed only when the gate passes: Jib's layer caches make
 * that second build a push of the same layers.
 */
final class ImageScan {

    private final BuildStage buildStage;
    private final ScanStage scanStage;
    private final Optional<ScanStage.Plan> scan;
    private final BuildStage.Plan build;
    private final Supplier<BuildStage.Plan> forPush;
    private final Map<String, String> env;
    private Path scratchTar;

    /** @param forPush the build to push once a scan before the push has passed: the same, or from a pushed base */
    ImageScan(BuildStage buildStage, ScanStage scanStage, Optional<ScanStage.Plan> scan, BuildStage.Plan build,
            Supplier<BuildStage.Plan> forPush, Map<String, String> env) {
        this.buildStage = buildStage;
        this.scanStage = scanStage;
        this.scan = scan;
        this.build = build;
        this.forPush = forPush;
        this.env = env;
    }

    /** A tar holds one platform, so a multi-platform image cannot be scanned before its push. */
    static void checkBeforePush(PipelineSettings settings, BuildStage.Plan build) {
        if (settings.scan() && settings.scanBeforePush() && build.spec().platforms().size() > 1) {
            throw new ActionException("Invalid input: scan-before-push", "scan-before-push builds the image to a local tar"
                    + " first, and a tar holds one platform, but platforms lists " + build.spec().platforms().size()
                    + ". Set scan-before-push: false (the pushed image is then scanned for the runner's platform), or"
                    + " build one platform.");
        }
    }

    /** The build as the pipeline asked for it; an image that would be neither pushed nor kept is kept for the scan. */
    ImageBuilder.Result build(ImageMetadata image, boolean push, Path tar, String actor) {
        if (scan.isPresent() && !push && tar == null) {
            scratchTar = BuildStage.temporaryTar(env);
        }
        BuildStage.Destination destination = tar != null ? new BuildStage.Destination.UserTar(tar)
                : push ? new BuildStage.Destination.Registry() : new BuildStage.Destination.Unkept(scratchTar);
        return buildStage.run(build, image, destination, actor);
    }

    void scanBuilt(ImageBuilder.Result built, ImageMetadata image, Path tar, String actor) {
        String name = firstName(image);
        try {
            Path local = tar != null ? tar : scratchTar;
            ImageSource source = local != null ? tarSource(local) : registrySource(name, built.digest(), actor);
            scanStage.run(scan.orElseThrow(), source, new ScannedImage(name, built.digest(), scan.get().sarifLocation()),
                    false);
        } finally {
            deleteScratch();
        }
    }

    ImageBuilder.Result scanThenPush(ImageMetadata image, String actor) {
        scratchTar = BuildStage.temporaryTar(env);
        try {
            ImageBuilder.Result local = buildStage.buildForScan(build, image, scratchTar, actor);
            scanStage.run(scan.orElseThrow(), tarSource(scratchTar), new ScannedImage(firstName(image), local.digest(),
                    scan.get().sarifLocation()), true);
        } finally {
            deleteScratch();
        }
        return buildStage.run(forPush.get(), image, new BuildStage.Destination.Registry(), actor);
    }

    private ImageSource registrySource(String name, String digest, String actor) {
        try {
            ImageReference reference = ImageReference.parse(name);
            String registry = reference.getRegistry();
            return new RegistryImageSource(registry, reference.getRepository(), digest,
                    buildStage.credential(name, build, actor), build.registry().insecure(registry));
        } catch (InvalidImageReferenceException e) {
            throw new ActionException("Invalid input: images", "'" + name + "' is not a valid image reference.");
        }
    }

    private static ImageSource tarSource(Path tar) {
        try {
            return new TarImageSource(tar);
        } catch (IOException e) {
            throw new ActionException("Image not readable", "The scanner could not read the image tar " + tar + " ("
                    + e.getMessage() + ").", e);
        }
    }

    private static String firstName(ImageMetadata image) {
        return image.imageNames().stream().findFirst()
                .orElseThrow(() -> new ActionException("No image", "No enabled image name to scan; set images."));
    }

    private void deleteScratch() {
        if (scratchTar != null) {
            try {
                Files.deleteIfExists(scratchTar);
            } catch (IOException ignored) {
                // a leftover temporary file is harmless
            }
            scratchTar = null;
        }
    }
}
