package com.pyerp.deployaction.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.Port;
import com.google.cloud.tools.jib.configuration.ContainerConfiguration;
import com.google.cloud.tools.jib.image.Image;
import com.google.cloud.tools.jib.image.json.BuildableManifestTemplate;
import com.google.cloud.tools.jib.image.json.OciManifestTemplate;
import com.google.cloud.tools.jib.image.json.V22ManifestTemplate;
import com.pyerp.deployaction.action.JsonValue;
import com.pyerp.deployaction.action.JsonWriter;
import com.pyerp.deployaction.action.LocalCache;
import com.pyerp.deployaction.action.Workflow;
import com.pyerp.deployaction.registry.RegistryRepository;
import com.pyerp.deployaction.registry.Upload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pushes the image that is the dependency image plus the last layer, without Jib's build machinery, byte for byte
 * as Jib would push it: the layer is a {@link CompressedLayer} made as Jib makes one, the
 * environment and labels go through Jib's own {@link Image.Builder} and {@link ContainerConfiguration} (whose hash
 * maps decide their order), and the configuration and manifest are written as Jib's BuildImageStep and
 * ImageToJsonTranslator write them ({@code TopLayerPushIT} compares the digests). What this saves is Jib's set-up:
 * its HTTP clients, Jackson, and its TLS-first probing of plain-HTTP registries, together about a second of an
 * incremental build. Whenever it cannot (an image index, a health check, a registry error), it answers empty and
 * Jib builds the same image.
 */
final class TopLayerPush {

    /** The version Jib puts after the tool name when none is set: that of the jar Jib's classes came from. */
    private static final String JIB_TOOL_VERSION = Containerizer.class.getPackage().getImplementationVersion();
    private static final Pattern ENVIRONMENT = Pattern.compile("(?<name>[^=]+)=(?<value>.*)");
    private static final Pattern PORT = Pattern.compile("(\\d+)(?:/(tcp|udp|TCP|UDP))?");

    /** One of the two manifest formats Jib writes, with its media types. */
    private record Format(String manifest, String config, String layer, Class<? extends BuildableManifestTemplate> jib) {
        static final Format DOCKER = new Format(V22ManifestTemplate.MANIFEST_MEDIA_TYPE,
                "application/vnd.docker.container.image.v1+json", "application/vnd.docker.image.rootfs.diff.tar.gzip",
                V22ManifestTemplate.class);
        static final Format OCI = new Format(OciManifestTemplate.MANIFEST_MEDIA_TYPE,
                "application/vnd.oci.image.config.v1+json", "application/vnd.oci.image.layer.v1.tar+gzip",
                OciManifestTemplate.class);
    }

    /** Why the direct push does not apply; Jib takes over. */
    private static final class NotApplicable extends Exception {
        NotApplicable(String reason) {
            super(reason, null, false, false);
        }
    }

    private record Descriptor(String digest, long size) {}

    private final ImageBuilder.Request request;
    private final String dependencyDigest;
    private final RegistryRepository registry;
    private final LocalCache cache;
    private final Workflow workflow;

    private TopLayerPush(ImageBuilder.Request request, String dependencyDigest, RegistryRepository registry, LocalCache cache,
            Workflow workflow) {
        this.request = request;
        this.dependencyDigest = dependencyDigest;
        this.registry = registry;
        this.cache = cache;
        this.workflow = workflow;
    }

    /**
     * Pushes {@code request} (one layer over the dependency image {@code dependencyDigest}, in the same repository),
     * or answers empty when Jib should.
     */
    static Optional<ImageBuilder.Result> push(ImageBuilder.Request request, String dependencyDigest, RegistryRepository registry,
            LocalCache cache, Workflow workflow) {
        try {
            ImageBuilder.Result result = new TopLayerPush(request, dependencyDigest, registry, cache, workflow).run();
            ImageBuilder.logBlobs(result.blobs(), workflow);
            return Optional.of(result);
        } catch (NotApplicable e) {
            workflow.debug("Jib builds the image: " + e.getMessage() + ".");
        } catch (IOException | RuntimeException e) {
            workflow.debug("Pushing the last layer directly failed (" + e.getMessage() + "); Jib builds the image.");
        }
        return Optional.empty();
    }

    private ImageBuilder.Result run() throws IOException, NotApplicable {
        Format format = "oci".equals(request.spec().format()) ? Format.OCI : Format.DOCKER;
        if (request.spec().platforms().size() > 1) {
            throw new NotApplicable("several platforms make an image index");
        }
        JsonValue manifest = json(document("manifests", dependencyDigest, () -> registry.manifest(dependencyDigest).bytes()));
        if (!manifest.path("mediaType").asText("").equals(format.manifest())) {
            throw new NotApplicable("the dependency image's media type is "
                    + manifest.path("mediaType").asText("missing") + ", not " + format.manifest());
        }
        LayerPlanner.Planned top = request.layers().get(0);
        CompletableFuture<CompressedLayer> layer = CompletableFuture.supplyAsync(() -> CompressedLayer.of(top.layer()));
        try {
            String configDigest = manifest.path("config").path("digest").asText("");
            JsonValue config = json(document("blobs", configDigest, () -> registry.blob(configDigest)));
            List<Descriptor> baseLayers = new ArrayList<>();
            for (JsonValue descriptor : manifest.path("layers")) {
                baseLayers.add(new Descriptor(descriptor.path("digest").asText(""),
                        Long.parseLong(descriptor.path("size").asText("-1"))));
            }
            CompressedLayer built = join(layer);
            byte[] configuration = configuration(config, baseLayers.size(), built.diffId(), top.name(), format)
                    .getBytes(StandardCharsets.UTF_8);
            Descriptor configDescriptor = new Descriptor(sha256(configuration), configuration.length);
            byte[] imageManifest = manifest(format, configDescriptor, baseLayers, new Descriptor(built.digest(), built.size()))
                    .getBytes(StandardCharsets.UTF_8);

            List<PushReport.Blob> blobs = new ArrayList<>();
            for (Descriptor base : baseLayers) {
                blobs.add(new PushReport.Blob(base.digest(), "", base.size(), true));
            }
            blobs.add(new PushReport.Blob(built.digest(), top.name(), built.size(),
                    pushBlob(built.digest(), Upload.of(built.file(), progress(top.name(), built.size())))));
            blobs.add(new PushReport.Blob(configDescriptor.digest(), "", configuration.length,
                    pushBlob(configDescriptor.digest(), Upload.of("application/octet-stream", configuration))));
            for (String tag : request.tags()) {
                registry.putManifest(tag, new RegistryRepository.Document(format.manifest(), imageManifest));
            }
            String digest = sha256(imageManifest);
            return new ImageBuilder.Result(request.imageName() + "@" + digest, digest, configDescriptor.digest(), true,
                    List.copyOf(blobs));
        } finally {
            layer.thenAccept(CompressedLayer::delete);
        }
    }

    /** A line at most every {@link ImageBuilder#PROGRESS_INTERVAL} while a long upload goes on. */
    private LongConsumer progress(String name, long size) {
        long[] lastLine = {System.nanoTime()};
        return sent -> {
            long now = System.nanoTime();
            if (now - lastLine[0] >= ImageBuilder.PROGRESS_INTERVAL.toNanos()) {
                lastLine[0] = now;
                workflow.info("pushing " + name + ": " + PushReport.size(sent) + " of " + PushReport.size(size));
            }
        };
    }

    /** Whether the registry already had the blob; uploads it when not. */
    private boolean pushBlob(String digest, Upload content) throws IOException {
        if (registry.hasBlob(digest)) {
            return true;
        }
        registry.upload(digest, content);
        return false;
    }

    private interface Fetch {
        byte[] bytes() throws IOException;
    }

    /** A manifest or blob by digest: content-addressed, so a copy kept on this runner is as good as the registry's. */
    private String document(String kind, String digest, Fetch fetch) throws IOException, NotApplicable {
        if (!digest.matches("sha256:[0-9a-f]{64}")) {
            throw new NotApplicable("the dependency image names a " + kind + " digest '" + digest + "'");
        }
        String key = "dependency-image-" + kind + "-" + digest.substring(7);
        Optional<String> kept = cache.get("documents", key)
                .filter(text -> sha256(text.getBytes(StandardCharsets.UTF_8)).equals(digest));
        if (kept.isPresent()) {
            return kept.get();
        }
        String text = new String(fetch.bytes(), StandardCharsets.UTF_8);
        cache.put("documents", key, text);
        return text;
    }

    private static JsonValue json(String text) throws NotApplicable {
        try {
            return JsonValue.parse(text);
        } catch (JsonValue.SyntaxError e) {
            throw new NotApplicable("the dependency image's JSON does not parse (" + e.getMessage() + ")");
        }
    }

    /**
     * The image configuration as Jib's BuildImageStep makes it from the dependency image and the build definition,
     * written as ImageToJsonTranslator and Jib's JSON mapper write it: fields in template order, nulls left out.
     */
    private String configuration(JsonValue base, int baseLayers, String diffId, String layerName, Format format)
            throws NotApplicable {
        JsonValue container = base.path("config");
        if (container.path("Healthcheck").isPresent()) {
            throw new NotApplicable("the dependency image has a health check");
        }
        JsonValue diffIds = base.path("rootfs").path("diff_ids");
        if (size(diffIds) != baseLayers) {
            throw new NotApplicable("the dependency image's layers and diff IDs do not match");
        }
        ContainerConfiguration own = ImageBuilder.containerConfiguration(request);
        Image.Builder merged = Image.builder(format.jib());
        Image baseImage = baseImage(container, format);
        merged.addEnvironment(baseImage.getEnvironment()).addLabels(baseImage.getLabels())
                .addEnvironment(own.getEnvironmentMap()).addLabels(own.getLabels());
        Image image = merged.build();

        List<String> entrypoint = list(container.path("Entrypoint"));
        List<String> cmd = list(container.path("Cmd"));
        boolean inherit = own.getEntrypoint() == null;
        List<String> finalEntrypoint = inherit && entrypoint != null ? entrypoint : own.getEntrypoint();
        List<String> finalCmd = inherit && cmd != null && own.getProgramArguments() == null ? cmd : own.getProgramArguments();
        TreeSet<String> ports = new TreeSet<>();
        for (String port : container.path("ExposedPorts").members().keySet()) {
            ports.add(port(port));
        }
        if (own.getExposedPorts() != null) {
            own.getExposedPorts().forEach(port -> ports.add(port.getPort() + "/" + port.getProtocol()));
        }
        TreeSet<String> volumes = new TreeSet<>();
        for (String volume : container.path("Volumes").members().keySet()) {
            volumes.add(AbsoluteUnixPath.get(volume).toString());
        }
        if (own.getVolumes() != null) {
            own.getVolumes().forEach(volume -> volumes.add(volume.toString()));
        }
        String user = own.getUser() != null ? own.getUser() : container.path("User").asText(null);
        String workingDirectory = own.getWorkingDirectory() != null ? own.getWorkingDirectory().toString()
                : container.path("WorkingDir").asText(null);

        JsonWriter out = JsonWriter.jackson();
        out.open('{').field("created").string(own.getCreationTime().toString())
                .field("architecture").string(base.path("architecture").asText("amd64"))
                .field("os").string(base.path("os").asText("linux"))
                .field("config").open('{')
                .field("Env").strings(image.getEnvironment().entrySet().stream()
                        .map(variable -> variable.getKey() + "=" + variable.getValue()).toList());
        if (finalEntrypoint != null) {
            out.field("Entrypoint").strings(finalEntrypoint);
        }
        if (finalCmd != null) {
            out.field("Cmd").strings(finalCmd);
        }
        emptyObjects(out.field("ExposedPorts"), ports).field("Labels").open('{');
        image.getLabels().forEach((key, value) -> out.field(key).string(value));
        out.close('}');
        if (workingDirectory != null) {
            out.field("WorkingDir").string(workingDirectory);
        }
        if (user != null) {
            out.field("User").string(user);
        }
        emptyObjects(out.field("Volumes"), volumes).close('}').field("history").open('[');
        int layersWithoutHistory = baseLayers;
        for (JsonValue entry : base.path("history")) {
            out.open('{');
            for (String field : List.of("created", "author", "created_by", "comment")) {
                if (entry.path(field).isPresent()) {
                    out.field(field).string(entry.path(field).asText(""));
                }
            }
            if (entry.path("empty_layer").isPresent()) {
                out.field("empty_layer").raw(entry.path("empty_layer").asText("false"));
            }
            out.close('}');
            if (!"true".equals(entry.path("empty_layer").asText(""))) {
                layersWithoutHistory--;
            }
        }
        String created = own.getCreationTime().toString();
        for (int count = 0; count < layersWithoutHistory; count++) {
            out.open('{').field("created").string(created).field("comment").string("auto-generated by Jib").close('}');
        }
        out.open('{').field("created").string(created).field("author").string("Jib")
                .field("created_by").string(ImageBuilder.TOOL_NAME + ":" + JIB_TOOL_VERSION)
                .field("comment").string(layerName).close('}');
        out.close(']').field("rootfs").open('{').field("type").string("layers").field("diff_ids").open('[');
        for (JsonValue id : diffIds) {
            out.string(id.asText(""));
        }
        return out.string(diffId).close(']').close('}').close('}').toString();
    }

    /** The parts of the dependency image that Jib keeps in hash maps, read as Jib's JsonToImageTranslator reads them. */
    private static Image baseImage(JsonValue container, Format format) throws NotApplicable {
        Image.Builder image = Image.builder(format.jib());
        for (JsonValue variable : container.path("Env")) {
            Matcher matcher = ENVIRONMENT.matcher(variable.asText(""));
            if (!matcher.matches()) {
                throw new NotApplicable("the dependency image has an environment entry without '='");
            }
            image.addEnvironmentVariable(matcher.group("name"), matcher.group("value"));
        }
        if (container.path("Labels").isObject()) {
            Map<String, String> labels = new LinkedHashMap<>();
            container.path("Labels").members().forEach((key, value) -> labels.put(key, value.asText(null)));
            image.addLabels(labels);
        }
        return image.build();
    }

    private static String port(String key) throws NotApplicable {
        Matcher matcher = PORT.matcher(key);
        if (!matcher.matches()) {
            throw new NotApplicable("the dependency image exposes a port '" + key + "'");
        }
        Port port = Port.parseProtocol(Integer.parseInt(matcher.group(1)), matcher.group(2) == null ? "tcp" : matcher.group(2));
        return port.getPort() + "/" + port.getProtocol();
    }

    private static String manifest(Format format, Descriptor config, List<Descriptor> baseLayers, Descriptor top) {
        JsonWriter out = JsonWriter.jackson();
        out.open('{').field("schemaVersion").raw("2").field("mediaType").string(format.manifest())
                .field("config").open('{').field("mediaType").string(format.config())
                .field("digest").string(config.digest()).field("size").raw(String.valueOf(config.size())).close('}')
                .field("layers").open('[');
        List<Descriptor> layers = new ArrayList<>(baseLayers);
        layers.add(top);
        for (Descriptor layer : layers) {
            out.open('{').field("mediaType").string(format.layer()).field("digest").string(layer.digest())
                    .field("size").raw(String.valueOf(layer.size())).close('}');
        }
        return out.close(']').close('}').toString();
    }

    /** {@code {"key":{},...}}, as Jib writes exposed ports and volumes. */
    private static JsonWriter emptyObjects(JsonWriter out, Collection<String> keys) {
        out.open('{');
        keys.forEach(key -> out.field(key).open('{').close('}'));
        return out.close('}');
    }

    /** A JSON array of strings, or null for JSON null or a missing member (as Jackson reads a list field). */
    private static List<String> list(JsonValue value) {
        if (!value.isPresent()) {
            return null;
        }
        List<String> items = new ArrayList<>();
        value.forEach(item -> items.add(item.asText(null)));
        return items;
    }

    private static int size(JsonValue array) {
        int count = 0;
        for (JsonValue ignored : array) {
            count++;
        }
        return count;
    }

    private static CompressedLayer join(CompletableFuture<CompressedLayer> layer) throws IOException {
        try {
            return layer.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof UncheckedIOException io ? io.getCause() : new IOException(e.getCause());
        }
    }

    private static String sha256(byte[] bytes) {
        return "sha256:" + LayerPlanner.sha256Hex(bytes);
    }
}
