package com.pyerp.deployaction.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.action.ConsoleWorkflow;
import com.pyerp.deployaction.action.LocalCache;
import com.pyerp.deployaction.action.Workflow;
import com.pyerp.deployaction.config.BuildSpec.CopySpec;
import com.pyerp.deployaction.config.BuildSpec.FileProperties;
import com.pyerp.deployaction.config.BuildSpec.LayerSpec;
import com.pyerp.deployaction.config.BuildSpec;
import com.pyerp.deployaction.registry.DockerConfig;
import com.pyerp.deployaction.registry.RegistryRepository;
import com.pyerp.deployaction.testing.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The direct push of the last layer gives, byte for byte, the image Jib gives for the same request. */
class TopLayerPushIT {

    @TempDir
    Path workspace;

    private TestServices services;
    private String imageName;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final Workflow workflow = new ConsoleWorkflow(new PrintStream(log, true, StandardCharsets.UTF_8),
            new PrintStream(log, true, StandardCharsets.UTF_8), true);

    @BeforeEach
    void layers() throws IOException {
        services = TestServices.require("REGISTRY");
        imageName = services.get("REGISTRY") + "/it/top-" + UUID.randomUUID().toString().substring(0, 8);
        Path deps = Files.createDirectories(workspace.resolve("deps/site-packages/django"));
        Files.writeString(deps.resolve("__init__.py"), "VERSION = (5, 1)\n");
        Path app = Files.createDirectories(workspace.resolve("app/pyerp/very/deep/package/with/a/name/longer/than/the"
                + "/hundred/characters/of/a/plain/tar/header"));
        Files.writeString(app.resolve("views.py"), "def health(request):\n    return 'ok'\n");
        Files.writeString(workspace.resolve("app/manage.py"), "#!/usr/bin/env python3\n");
        assertTrue(workspace.resolve("app/manage.py").toFile().setExecutable(true, false));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"docker, entrypoint and cmd", "docker, inherited", "docker, cmd only", "oci, entrypoint and cmd",
            "oci, inherited"})
    void theDirectPushGivesTheDigestJibGives(String format, String variant) throws Exception {
        List<LayerPlanner.Planned> layers = LayerPlanner.plan(List.of(
                new LayerSpec("/app/deps", List.of(copy("deps", "/app/deps"))),
                new LayerSpec("/app/src", List.of(copy("app", "/app/src")))));
        String base = services.get("BASE_IMAGE");
        String dependencyDigest = ImageBuilder.build(request(BuildSpec.of(base, List.of(), Instant.EPOCH, format),
                layers.subList(0, 1), "deps"), workflow).digest();

        Map<String, String> environment = new LinkedHashMap<>();
        IntStream.range(0, 20).forEach(i -> environment.put("VARIABLE_" + i, "value " + i));
        environment.put("PATH", "/app/venv/bin:/usr/bin:/bin");
        environment.put("QUOTED", "a \"quoted\" back\\slash, tab\t and ü");
        Map<String, String> labels = new LinkedHashMap<>();
        IntStream.range(0, 30).forEach(i -> labels.put("org.example.label-" + i, "v" + i));
        labels.put("org.opencontainers.image.title", "pyerp");
        boolean own = variant.equals("entrypoint and cmd");
        BuildSpec spec = new BuildSpec(imageName + "@" + dependencyDigest, List.of(), null, format, environment, labels,
                List.of("/app/media", "/app/static"), List.of("8000/tcp", "9000/udp"), own ? "10001:10001" : null,
                own ? "/app/src" : null, own ? List.of("/app/src/manage.py") : null,
                own || variant.equals("cmd only") ? List.of("runserver", "0.0.0.0:8000") : null, List.of());
        ImageBuilder.Request top = new ImageBuilder.Request(spec, layers.subList(1, 2),
                Map.of("org.opencontainers.image.revision", "0123456789abcdef"), Instant.parse("2026-11-20T10:15:30Z"),
                imageName, List.of("jib"), null, Optional.empty(), Set.of(services.get("REGISTRY")),
                DockerConfig.load(Map.of("HOME", workspace.toString())), workspace, 1);

        String byJib = ImageBuilder.build(top, workflow).digest();
        log.reset();
        RegistryRepository registry = new RegistryRepository(services.get("REGISTRY"),
                imageName.substring(imageName.indexOf('/') + 1), Optional.empty(), true, "push,pull");
        ImageBuilder.Request direct = new ImageBuilder.Request(spec, top.layers(), top.labels(), top.creationTime(),
                imageName, List.of("direct", "also"), null, Optional.empty(), top.insecureRegistries(), top.dockerConfig(),
                workspace, 1);
        Optional<ImageBuilder.Result> result = TopLayerPush.push(direct, dependencyDigest, registry,
                new LocalCache(workspace.resolve("cache")), workflow);

        assertTrue(result.isPresent(), "pushed directly: " + log);
        assertEquals(byJib, result.get().digest(), "the same image as Jib's: " + log);
        assertEquals(Optional.of(byJib), registry.manifestDigest("direct"));
        assertEquals(Optional.of(byJib), registry.manifestDigest("also"));
        List<String> blobs = log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.matches("(pushed|reused) .*")).toList();
        assertTrue(blobs.stream().allMatch(l -> l.startsWith("reused")), "Jib pushed every blob already: " + blobs);
    }

    private ImageBuilder.Request request(BuildSpec spec, List<LayerPlanner.Planned> layers, String tag) {
        return new ImageBuilder.Request(spec, layers, Map.of(), Instant.EPOCH, imageName, List.of(tag), null,
                Optional.empty(), Set.of(services.get("REGISTRY")), DockerConfig.load(Map.of("HOME", workspace.toString())), workspace,
                1);
    }

    private CopySpec copy(String source, String destination) {
        return new CopySpec(workspace.resolve(source), destination, List.of(), List.of(), FileProperties.NONE);
    }
}
