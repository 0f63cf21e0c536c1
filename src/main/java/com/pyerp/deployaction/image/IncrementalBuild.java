package com.pyerp.deployaction.image;

import com.google.cloud.tools.jib.api.ImageReference;
import com.pyerp.deployaction.action.LocalCache;
import com.pyerp.deployaction.action.Workflow;
import com.pyerp.deployaction.config.BuildSpec;
import com.pyerp.deployaction.registry.RegistryRepository;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A push to a registry that skips what the registry already holds, in three ways:
 * <ol>
 *   <li>Every layer but the last (the dependencies) goes into a <em>dependency image</em>, the base image plus
 *       those layers, kept in the target repository under a tag derived from the base image's digest and the
 *       layers' content ({@value #TAG_PREFIX}…). When the tag exists, those layers are neither compressed nor
 *       uploaded again, even on a fresh runner; when it does not, it is pushed first.</li>
 *   <li>The image is then built {@code FROM} the dependency image with the last layer, so the final digest is the
 *       same whether the dependency image was found or made. {@link TopLayerPush} pushes it without Jib's
 *       set-up when it can, to the byte what Jib would push.</li>
 *   <li>When this runner built exactly this definition before, and every tag still points to what it pushed, the
 *       build is skipped altogether.</li>
 * </ol>
 * Every step falls back to a plain build when the registry cannot answer (a base tag that cannot be resolved).
 */
final class IncrementalBuild {

    static final String TAG_PREFIX = "pyerp-deps-";

    private final ImageBuilder.Request request;
    private final RegistryRepository repository;
    private final LocalCache cache;
    private final Workflow workflow;

    IncrementalBuild(ImageBuilder.Request request, RegistryRepository repository, LocalCache cache, Workflow workflow) {
        this.request = request;
        this.repository = repository;
        this.cache = cache;
        this.workflow = workflow;
    }

    ImageBuilder.Result run() {
        Optional<String> base = resolvedBase();
        if (base.isEmpty()) {
            return ImageBuilder.build(request, workflow);
        }
        List<LayerPlanner.Planned> layers = request.layers();
        List<LayerPlanner.Planned> dependencies = layers.size() < 2 ? List.of() : layers.subList(0, layers.size() - 1);
        String dependencyContent = dependencies.isEmpty() ? "" : LayerContent.digest(dependencies, cache);
        // The dependency layers' content and the base digest decide the dependency image, so it is looked up only
        // when something changed.
        String key = sha256(String.join("\n", request.imageName(), request.tags().toString(), request.labels().toString(),
                request.spec().fingerprint(), String.valueOf(request.creationTime()), dependencyContent,
                layers.subList(dependencies.size(), layers.size()).stream().map(LayerPlanner.Planned::fingerprint).toList()
                        .toString(), base.get()));
        Optional<ImageBuilder.Result> unchanged = cache.get("builds", key).flatMap(IncrementalBuild::decode)
                .filter(this::stillPushed);
        if (unchanged.isPresent()) {
            workflow.info("Nothing changed since this runner pushed " + unchanged.get().digest()
                    + ", and the registry still holds every tag there: not built again.");
            ImageBuilder.logBlobs(unchanged.get().blobs(), workflow);
            return unchanged.get();
        }
        // A base in this repository by digest (the system image) is a dependency image already: one layer over it
        // goes up directly too.
        Optional<String> dependencyImage = !dependencies.isEmpty()
                ? Optional.of(dependencyImage(base.get(), dependencies, dependencyContent))
                : layers.size() == 1 && request.spec().baseImage() != null
                        && request.spec().baseImage().equals(request.imageName() + "@" + base.get()) ? base : Optional.empty();
        ImageBuilder.Request last = dependencies.isEmpty() ? request
                : dependencyImage.map(this::onDependencyImage).orElse(request);
        ImageBuilder.Result result = dependencyImage
                .flatMap(digest -> TopLayerPush.push(last, digest, repository, cache, workflow))
                .orElseGet(() -> ImageBuilder.build(last, workflow));
        cache.put("builds", key, encode(result));
        return result;
    }

    /** The base image's digest, or empty when its tag cannot be resolved here. */
    private Optional<String> resolvedBase() {
        String base = request.spec().baseImage();
        if (base == null || base.equals("scratch")) {
            return Optional.of("scratch");
        }
        ImageReference reference = ImageBuilder.reference(base, "base-image");
        if (reference.getDigest().isPresent()) {
            return reference.getDigest();
        }
        String registry = reference.getRegistry();
        return new RegistryRepository(registry, reference.getRepository(), ImageBuilder.baseCredential(reference, request),
                request.insecureRegistries().contains(registry), "pull").manifestDigest(reference.getQualifier());
    }

    /** The digest of the dependency image (base plus every layer but the last), pushing it first if needed. */
    private String dependencyImage(String baseDigest, List<LayerPlanner.Planned> dependencies, String content) {
        BuildSpec spec = request.spec();
        String tag = TAG_PREFIX + sha256(String.join("\n", baseDigest, String.valueOf(spec.baseImage()),
                spec.platforms().toString(), String.valueOf(spec.format()), content)).substring(0, 32);
        String names = String.join(", ", dependencies.stream().map(LayerPlanner.Planned::name).toList());
        Optional<String> existing = repository.manifestDigest(tag);
        if (existing.isPresent()) {
            workflow.info("Dependency layers (" + names + ") unchanged: reusing " + request.imageName() + ":" + tag);
            return existing.get();
        }
        workflow.info("Dependency layers (" + names + ") changed or new: pushing " + request.imageName() + ":" + tag);
        // FROM the digest just resolved, not the tag, which may have moved since.
        String base = baseDigest.equals("scratch") ? spec.baseImage()
                : ImageBuilder.reference(spec.baseImage(), "base-image").withQualifier(baseDigest).toString();
        BuildSpec dependencyImage = BuildSpec.of(base, spec.platforms(), Instant.EPOCH, spec.format());
        return ImageBuilder.build(new ImageBuilder.Request(dependencyImage, dependencies, Map.of(), Instant.EPOCH,
                request.imageName(), List.of(tag), null, request.targetCredential(), request.insecureRegistries(),
                request.dockerConfig(), request.temporaryDirectory(), request.attempts()), workflow).digest();
    }

    /** The request with the dependency image {@code digest} as its base and only the last layer. */
    private ImageBuilder.Request onDependencyImage(String digest) {
        return request.with(request.spec().withBaseImage(request.imageName() + "@" + digest),
                request.layers().subList(request.layers().size() - 1, request.layers().size()));
    }

    private boolean stillPushed(ImageBuilder.Result result) {
        return request.tags().stream().allMatch(tag -> repository.manifestDigest(tag).filter(result.digest()::equals).isPresent());
    }

    private static String encode(ImageBuilder.Result result) {
        StringBuilder text = new StringBuilder(result.image() + "\n" + result.digest() + "\n" + result.imageId() + "\n");
        result.blobs().forEach(blob -> text.append(blob.digest()).append(' ').append(blob.bytes()).append(' ')
                .append(blob.name()).append('\n'));
        return text.toString();
    }

    /** Empty for a record this version cannot read. */
    private static Optional<ImageBuilder.Result> decode(String text) {
        try {
            String[] lines = text.split("\n");
            List<PushReport.Blob> blobs = new ArrayList<>();
            for (int index = 3; index < lines.length; index++) {
                String[] parts = lines[index].split(" ", 3);
                blobs.add(new PushReport.Blob(parts[0], parts.length > 2 ? parts[2] : "", Long.parseLong(parts[1]), true));
            }
            return Optional.of(new ImageBuilder.Result(lines[0], lines[1], lines[2], true, List.copyOf(blobs)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String sha256(String text) {
        return LayerPlanner.sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }
}
