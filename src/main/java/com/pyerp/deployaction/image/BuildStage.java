package com.pyerp.deployaction.image;

import com.google.cloud.tools.jib.api.ImageReference;
import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.GitHubContext;
import com.pyerp.deployaction.action.Input;
import com.pyerp.deployaction.action.Inputs;
import com.pyerp.deployaction.action.LocalCache;
import com.pyerp.deployaction.action.Markdown;
import com.pyerp.deployaction.action.Output;
import com.pyerp.deployaction.action.RunnerTemp;
import com.pyerp.deployaction.action.Workflow;
import com.pyerp.deployaction.action.Workspace;
import com.pyerp.deployaction.registry.Credential;
import com.pyerp.deployaction.registry.DockerConfig;
import com.pyerp.deployaction.registry.ImageName;
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
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** The build stage: the build definition, registry credentials, the Jib build and push, the outputs. */
public final class BuildStage {

    /** Everything checked before any stage runs. */
    public record Plan(BuildSpec spec, CompletableFuture<List<LayerPlanner.Planned>> layers, Set<String> insecureRegistries,
            DockerConfig dockerConfig, int attempts) {}

    private final Workflow workflow;
    private final Inputs inputs;
    private final Map<String, String> env;
    private final Workspace workspace;
    private final Map<String, RegistryProbe> checkedProbes = new HashMap<>();
    private boolean linksReported;

    public BuildStage(Workflow workflow, Inputs inputs, Map<String, String> env, Workspace workspace) {
        this.workflow = workflow;
        this.inputs = inputs;
        this.env = env;
        this.workspace = workspace;
    }

    /** Reads and checks the build definition and the layer sources; fails before anything is pushed. */
    public Plan plan() {
        BuildSpec spec = BuildDefinition.resolve(inputs, workspace);
        if (spec.baseImage() != null && !spec.baseImage().equals("scratch")) {
            ImageBuilder.reference(spec.baseImage(), "base-image");
        }
        CompletableFuture<List<LayerPlanner.Planned>> layers = LayerPlanner.planInBackground(spec.layers());
        Set<String> insecure = new LinkedHashSet<>(inputs.list(Input.INSECURE_REGISTRIES));
        return new Plan(spec, layers, Set.copyOf(insecure), DockerConfig.load(env), attempts());
    }

    /**
     * Builds for every enabled image name with every tag, and sets the outputs. {@code push} is the decision
     * already taken ({@code push: auto} on a fork's pull request does not push); {@code tarPath} is the tar the
     * user asked for, null for the registry. An image neither pushed nor asked for goes to {@code scratchTar},
     * which the caller reads and deletes, or when that is null to a temporary tar deleted here.
     */
    public ImageBuilder.Result run(Plan plan, ImageMetadata metadata, List<ImageName> images, boolean push, Path tarPath,
            Path scratchTar, GitHubContext context) {
        List<String> tags = tags(metadata);
        List<String> names = images.stream().filter(ImageName::enabled).map(ImageName::name).toList();
        Path target = tarPath != null ? tarPath : push ? null : scratchTar != null ? scratchTar : temporaryTar(env);
        Map<String, Optional<Credential>> credentials = credentials(names, plan, context);
        Map<String, RegistryProbe> probes = new LinkedHashMap<>();
        if (target == null) {
            names.forEach(name -> probes.put(name, checkPushRights(name, credentials.get(name), plan.insecureRegistries())));
        }
        LocalCache cache = LocalCache.in(env);
        ImageBuilder.Result first = null;
        for (String name : names) {
            ImageBuilder.Request request = request(plan, metadata, name, tags, target, credentials.get(name));
            ImageBuilder.Result[] result = new ImageBuilder.Result[1];
            workflow.group((push && tarPath == null ? "Build and push " : "Build ") + name, () ->
                    result[0] = target == null ? new IncrementalBuild(request, probes.get(name), cache, workflow).run()
                            : ImageBuilder.build(request, workflow));
            first = first == null ? result[0] : first;
            if (tarPath != null || !push) {
                break;
            }
        }
        if (target != null && tarPath == null && scratchTar == null) {
            deleteQuietly(target);
        }
        setOutputs(first, names, tags, tarPath);
        return first;
    }

    /**
     * Builds the first image name to {@code tar} for a scan before the push: no outputs and no summary, which the
     * push that follows sets. The push rights are checked first, so that a refusal fails before the build.
     */
    public ImageBuilder.Result buildForScan(Plan plan, ImageMetadata metadata, List<ImageName> images, Path tar,
            GitHubContext context) {
        List<String> tags = tags(metadata);
        List<String> names = images.stream().filter(ImageName::enabled).map(ImageName::name).toList();
        Map<String, Optional<Credential>> credentials = credentials(names, plan, context);
        names.forEach(name -> checkPushRights(name, credentials.get(name), plan.insecureRegistries()));
        String name = names.get(0);
        ImageBuilder.Request request = request(plan, metadata, name, tags, tar, credentials.get(name));
        ImageBuilder.Result[] result = new ImageBuilder.Result[1];
        workflow.group("Build " + name + " for the scan", () -> result[0] = ImageBuilder.build(request, workflow));
        return result[0];
    }

    private ImageBuilder.Request request(Plan plan, ImageMetadata metadata, String name, List<String> tags, Path target,
            Optional<Credential> credential) {
        return new ImageBuilder.Request(plan.spec(), walkedLayers(plan), labels(metadata), metadata.created(), name, tags,
                target, credential, plan.insecureRegistries(), plan.dockerConfig(), RunnerTemp.parent(env), plan.attempts());
    }

    private static List<String> tags(ImageMetadata metadata) {
        List<String> tags = new ArrayList<>(new LinkedHashSet<>(metadata.tagNames()));
        if (tags.isEmpty()) {
            throw new ActionException("No tags", "The tag rules produced no tag for this event, so there is nothing to"
                    + " build. Check the tags input, or set build: false for events that should not build.");
        }
        return tags;
    }

    private Map<String, Optional<Credential>> credentials(List<String> names, Plan plan, GitHubContext context) {
        Map<String, Optional<Credential>> credentials = new LinkedHashMap<>();
        names.forEach(name -> credentials.put(name, credential(name, plan.dockerConfig(), context)));
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

    private int attempts() {
        String value = inputs.string(Input.REGISTRY_ATTEMPTS);
        if (!value.matches("\\d{1,2}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > 20) {
            throw inputs.invalid(Input.REGISTRY_ATTEMPTS, "a whole number from 1 to 20");
        }
        return Integer.parseInt(value);
    }

    /**
     * Opens and cancels an upload session, so that missing push rights fail in seconds, not after the build.
     * Returns the probe, authorized, for the build's other questions to this repository.
     */
    /** Once per image name: a scan before the push checks before its local build, and the push then reuses it. */
    private RegistryProbe checkPushRights(String imageName, Optional<Credential> credential, Set<String> insecureRegistries) {
        RegistryProbe checked = checkedProbes.get(imageName);
        if (checked != null) {
            return checked;
        }
        ImageReference reference = ImageBuilder.reference(imageName, "images");
        String registry = reference.getRegistry();
        RegistryProbe probe = new RegistryProbe(registry, reference.getRepository(), credential,
                insecureRegistries.contains(registry));
        probe.pushRefusal().ifPresent(refusal -> {
            throw new ActionException("Push not allowed", "The registry refused a test upload to " + imageName
                    + " (" + refusal + "), so nothing was built. " + RegistryFailures.permissionAdvice(registry,
                            registry.equals("ghcr.io") || refusal.toLowerCase(Locale.ROOT).contains("not allowed to write")));
        });
        checkedProbes.put(imageName, probe);
        return probe;
    }

    /**
     * Explicit registry-username/registry-password; else the workflow token for ghcr.io; else docker's config.
     * Public for the scan stage, which reads the pushed image back with the same login.
     */
    public Optional<Credential> credential(String imageName, DockerConfig dockerConfig, GitHubContext context) {
        String registry = ImageBuilder.reference(imageName, "images").getRegistry();
        if (inputs.isSet(Input.REGISTRY_PASSWORD)) {
            String username = inputs.isSet(Input.REGISTRY_USERNAME) ? inputs.string(Input.REGISTRY_USERNAME) : context.actor();
            return Optional.of(new Credential(username, inputs.string(Input.REGISTRY_PASSWORD), "registry-password input"));
        }
        if (registry.equals("ghcr.io") && inputs.isSet(Input.GITHUB_TOKEN)) {
            return Optional.of(new Credential(inputs.isSet(Input.REGISTRY_USERNAME) ? inputs.string(Input.REGISTRY_USERNAME)
                    : context.actor(), inputs.string(Input.GITHUB_TOKEN), "github-token input"));
        }
        Optional<Credential> stored = dockerConfig.credentialFor(registry);
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
