package com.pyerp.deployaction.image;

import com.google.cloud.tools.jib.api.ImageReference;
import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.LocalCache;
import com.pyerp.deployaction.action.Markdown;
import com.pyerp.deployaction.action.Output;
import com.pyerp.deployaction.action.RunnerTemp;
import com.pyerp.deployaction.action.Workflow;
import com.pyerp.deployaction.config.BuildSettings;
import com.pyerp.deployaction.config.BuildSpec;
import com.pyerp.deployaction.config.RegistrySettings;
import com.pyerp.deployaction.registry.Credential;
import com.pyerp.deployaction.registry.DockerConfig;
import com.pyerp.deployaction.registry.RegistryRepository;
import com.pyerp.deployaction.results.ImageMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The build stage: the build definition, registry credentials, the Jib build and push, the outputs. */
public final class BuildStage {

    /** Everything checked before any stage runs. */
    public record Plan(BuildSpec spec, CompletableFuture<List<LayerPlanner.Planned>> layers, RegistrySettings registry,
            DockerConfig dockerConfig, int attempts, Optional<Path> baseTar) {

        /** The same build from another base image (the system image, which holds the system packages). */
        public Plan withBaseImage(String image) {
            return new Plan(spec.withBaseImage(image), layers, registry, dockerConfig, attempts, Optional.empty());
        }

        /** The same build from a base image in a {@code docker load}-able tar (the system image, not pushed). */
        public Plan withBaseTar(Path tar) {
            return new Plan(spec, layers, registry, dockerConfig, attempts, Optional.of(tar));
        }
    }

    /** Where the image goes. */
    public sealed interface Destination {
        /** Pushed to every enabled image name. */
        record Registry() implements Destination {}

        /** {@code output: tar:PATH}: the first image name, written to the user's tar. */
        record UserTar(Path path) implements Destination {}

        /**
         * Neither pushed nor asked for (a fork's pull request, {@code push: false}): to {@code scratch}, which the
         * caller reads and deletes, or when that is null to a temporary tar deleted here.
         */
        record Unkept(Path scratch) implements Destination {}
    }

    private final Workflow workflow;
    private final Map<String, String> env;
    private final Map<String, RegistryRepository> checkedRepositories = new HashMap<>();
    private boolean linksReported;

    public BuildStage(Workflow workflow, Map<String, String> env) {
        this.workflow = workflow;
        this.env = env;
    }

    /** Checks the base image and starts walking the layer sources; fails before anything is pushed. */
    public Plan plan(BuildSettings settings) {
        BuildSpec spec = settings.spec();
        if (spec.baseImage() != null && !spec.baseImage().equals("scratch")) {
            ImageBuilder.reference(spec.baseImage(), "base-image");
        }
        CompletableFuture<List<LayerPlanner.Planned>> layers = LayerPlanner.planInBackground(spec.layers());
        return new Plan(spec, layers, settings.registry(), DockerConfig.load(env), settings.attempts(), Optional.empty());
    }

    /**
     * Builds for every enabled image name with every tag (the first name only for a tar), and sets the outputs.
     * {@code actor} is the login name when the inputs give a password but no user name.
     */
    public ImageBuilder.Result run(Plan plan, ImageMetadata metadata, Destination destination, String actor) {
        List<String> tags = tags(metadata);
        List<String> names = metadata.imageNames();
        Path target = destination instanceof Destination.UserTar tar ? tar.path()
                : destination instanceof Destination.Unkept unkept
                        ? unkept.scratch() != null ? unkept.scratch() : temporaryTar(env) : null;
        boolean pushing = destination instanceof Destination.Registry;
        Map<String, Optional<Credential>> credentials = credentials(names, plan, actor);
        Map<String, RegistryRepository> repositories = new LinkedHashMap<>();
        if (pushing) {
            names.forEach(name -> repositories.put(name, checkPushRights(name, credentials.get(name), plan.registry())));
        }
        LocalCache cache = LocalCache.in(env);
        ImageBuilder.Result first = null;
        for (String name : names) {
            ImageBuilder.Request request = request(plan, metadata, name, tags, target, credentials.get(name));
            ImageBuilder.Result[] result = new ImageBuilder.Result[1];
            workflow.group((pushing ? "Build and push " : "Build ") + name, () ->
                    result[0] = pushing ? new IncrementalBuild(request, repositories.get(name), cache, workflow).run()
                            : ImageBuilder.build(request, workflow));
            first = first == null ? result[0] : first;
            if (!pushing) {
                break;
            }
        }
        if (destination instanceof Destination.Unkept unkept && unkept.scratch() == null) {
            deleteQuietly(target);
        }
        setOutputs(first, names, tags, destination instanceof Destination.UserTar tar ? tar.path() : null);
        return first;
    }

    /** Checks that the login may push to every image name, before anything else is pushed there. */
    public void checkPushRights(Plan plan, ImageMetadata metadata, String actor) {
        credentials(metadata.imageNames(), plan, actor).forEach((name, credential) ->
                checkPushRights(name, credential, plan.registry()));
    }

    /**
     * Builds the first image name to {@code tar} for a scan before the push: no outputs and no summary, which the
     * push that follows sets. The push rights are checked first, so that a refusal fails before the build.
     */
    public ImageBuilder.Result buildForScan(Plan plan, ImageMetadata metadata, Path tar, String actor) {
        List<String> tags = tags(metadata);
        List<String> names = metadata.imageNames();
        Map<String, Optional<Credential>> credentials = credentials(names, plan, actor);
        names.forEach(name -> checkPushRights(name, credentials.get(name), plan.registry()));
        String name = names.get(0);
        ImageBuilder.Request request = request(plan, metadata, name, tags, tar, credentials.get(name));
        ImageBuilder.Result[] result = new ImageBuilder.Result[1];
        workflow.group("Build " + name + " for the scan", () -> result[0] = ImageBuilder.build(request, workflow));
        return result[0];
    }

    private ImageBuilder.Request request(Plan plan, ImageMetadata metadata, String name, List<String> tags, Path target,
            Optional<Credential> credential) {
        return new ImageBuilder.Request(plan.spec(), walkedLayers(plan), labels(metadata), metadata.created(), name, tags,
                target, credential, plan.registry().insecureRegistries(), plan.dockerConfig(), RunnerTemp.parent(env),
                plan.attempts(), plan.baseTar());
    }

    private static List<String> tags(ImageMetadata metadata) {
        List<String> tags = new ArrayList<>(new LinkedHashSet<>(metadata.tagNames()));
        if (tags.isEmpty()) {
            throw new ActionException("No tags", "The tag rules produced no tag for this event, so there is nothing to"
                    + " build. Check the tags input, or set build: false for events that should not build.");
        }
        return tags;
    }

    private Map<String, Optional<Credential>> credentials(List<String> names, Plan plan, String actor) {
        Map<String, Optional<Credential>> credentials = new LinkedHashMap<>();
        names.forEach(name -> credentials.put(name, credential(name, plan, actor)));
        return credentials;
    }

    /** The walked layers; the links left out of them are reported once, however often the stage builds. */
    private List<LayerPlanner.Planned> walkedLayers(Plan plan) {
        List<LayerPlanner.Planned> layers = LayerPlanner.await(plan.layers());
        if (!linksReported) {
            linksReported = true;
            layers.stream().filter(layer -> !layer.skippedLinks().isEmpty()).forEach(layer ->
                    workflow.warning("Symbolic links left out", "Layer '" + layer.name() + "': "
                            + layer.skippedLinks().size() + " link(s) cannot be copied into an image layer (links to"
                            + " directories, outside the copied tree, or dangling): "
                            + String.join(", ", layer.skippedLinks().stream().limit(5).toList())
                            + (layer.skippedLinks().size() > 5 ? ", …" : "")));
        }
        return layers;
    }

    /**
     * Opens and cancels an upload session, so that missing push rights fail in seconds, not after the build.
     * Returns the repository, authorized, for the build's other questions to it. Once per image name: a
     * scan before the push checks before its local build, and the push then reuses it.
     */
    private RegistryRepository checkPushRights(String imageName, Optional<Credential> credential,
            RegistrySettings registries) {
        RegistryRepository checked = checkedRepositories.get(imageName);
        if (checked != null) {
            return checked;
        }
        ImageReference reference = ImageBuilder.reference(imageName, "images");
        String registry = reference.getRegistry();
        RegistryRepository repository = new RegistryRepository(registry, reference.getRepository(), credential,
                registries.insecure(registry), "push,pull");
        RegistryProbe.pushRefusal(repository, credential.isEmpty()).ifPresent(refusal -> {
            throw new ActionException("Push not allowed", "The registry refused a test upload to " + imageName
                    + " (" + refusal + "), so nothing was built. " + RegistryFailures.permissionAdvice(registry,
                            registry.equals("ghcr.io") || refusal.toLowerCase(Locale.ROOT).contains("not allowed to write")));
        });
        checkedRepositories.put(imageName, repository);
        return repository;
    }

    /**
     * Explicit registry-username/registry-password; else the workflow token for ghcr.io; else docker's config.
     * Public for the scan stage, which reads the pushed image back with the same login.
     */
    public Optional<Credential> credential(String imageName, Plan plan, String actor) {
        String registry = ImageBuilder.reference(imageName, "images").getRegistry();
        Optional<Credential> given = plan.registry().login(registry, actor);
        if (given.isPresent()) {
            return given;
        }
        Optional<Credential> stored = plan.dockerConfig().credentialFor(registry);
        stored.ifPresent(credential -> workflow.mask(credential.secret()));
        return stored;
    }

    private static Map<String, String> labels(ImageMetadata metadata) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String label : metadata.labels()) {
            int equals = label.indexOf('=');
            labels.put(label.substring(0, equals), label.substring(equals + 1));
        }
        return labels;
    }

    private void setOutputs(ImageBuilder.Result result, List<String> names, List<String> tags, Path tarPath) {
        workflow.setOutput(Output.IMAGE, result.image());
        workflow.setOutput(Output.DIGEST, result.digest());
        workflow.setOutput(Output.IMAGEID, result.imageId());
        workflow.setOutput(Output.PUSHED, Boolean.toString(result.pushed()));
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("image", Markdown.code(result.image())));
        rows.add(List.of("pushed", result.pushed() ? "yes, to " + String.join(", ", names) : tarPath != null
                ? "no; written to " + Markdown.code(tarPath.toString()) : "no"));
        tags.forEach(tag -> rows.add(List.of("tag", Markdown.code(tag))));
        rows.add(List.of("image id", Markdown.code(result.imageId())));
        if (!result.blobs().isEmpty()) {
            long total = result.blobs().stream().mapToLong(PushReport.Blob::bytes).sum();
            long reused = result.blobs().stream().filter(PushReport.Blob::reused).mapToLong(PushReport.Blob::bytes).sum();
            rows.add(List.of("size", PushReport.size(total) + " compressed, in " + result.blobs().size() + " blobs"));
            rows.add(List.of("transfer", PushReport.size(total - reused) + " pushed or mounted, " + PushReport.size(reused)
                    + " already in the registry"));
        }
        workflow.summary(Markdown.heading("Image") + Markdown.table(List.of("", "value"), rows));
    }

    /** A new empty file in the runner's temporary directory, for an image tar that is not kept. */
    public static Path temporaryTar(Map<String, String> env) {
        try {
            return Files.createTempFile(RunnerTemp.parent(env), "pyerp-image-", ".tar");
        } catch (IOException e) {
            throw new ActionException("No temporary space", "Could not create a temporary file for the image tar ("
                    + e.getMessage() + ").", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temporary file is harmless
        }
    }
}
