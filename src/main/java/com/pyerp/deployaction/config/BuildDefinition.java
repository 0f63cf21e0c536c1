package com.pyerp.deployaction.config;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.CommandLineWords;
import com.pyerp.deployaction.action.Workspace;
import com.pyerp.deployaction.config.BuildSpec.CopySpec;
import com.pyerp.deployaction.config.BuildSpec.FileProperties;
import com.pyerp.deployaction.config.BuildSpec.LayerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The build definition: the build file (the {@code build-file} input, or ./jib.yaml) with the simple inputs on top. */
public final class BuildDefinition {

    public static final String DEFAULT_BUILD_FILE = "jib.yaml";
    static final Set<String> PLATFORMS = Set.of("linux/amd64", "linux/arm64", "linux/arm64/v8", "linux/arm/v7",
            "linux/arm/v6", "linux/386", "linux/ppc64le", "linux/s390x", "linux/riscv64");

    private BuildDefinition() {}

    /** @param format the format input when set, checked up front */
    static BuildSpec resolve(Inputs inputs, Optional<String> format, Workspace workspace) {
        Path workingDirectory = workspace.root();
        BuildSpec file = buildFile(inputs, workspace);
        Map<String, String> environment = new LinkedHashMap<>(file.environment());
        environment.putAll(keyValues(inputs, Input.ENV));
        return new BuildSpec(
                inputs.isSet(Input.BASE_IMAGE) ? inputs.string(Input.BASE_IMAGE) : file.baseImage(),
                inputs.isSet(Input.PLATFORMS) ? platforms(inputs) : file.platforms(),
                file.creationTime(),
                format.orElse(file.format()),
                Collections.unmodifiableMap(environment),
                file.labels(),
                inputs.isSet(Input.VOLUMES) ? absolutePaths(inputs, Input.VOLUMES) : file.volumes(),
                inputs.isSet(Input.PORTS) ? ports(inputs) : file.exposedPorts(),
                inputs.isSet(Input.USER) ? user(inputs) : file.user(),
                inputs.isSet(Input.WORKDIR) ? absolutePath(inputs, Input.WORKDIR, inputs.string(Input.WORKDIR)) : file.workingDirectory(),
                inputs.isSet(Input.ENTRYPOINT) ? words(inputs, Input.ENTRYPOINT) : file.entrypoint(),
                inputs.isSet(Input.CMD) ? words(inputs, Input.CMD) : file.cmd(),
                inputs.isSet(Input.LAYERS) ? layers(inputs, workspace) : file.layers());
    }

    private static BuildSpec buildFile(Inputs inputs, Workspace workspace) {
        Path workingDirectory = workspace.root();
        if (inputs.isSet(Input.BUILD_FILE)) {
            Path file = workingDirectory.resolve(inputs.string(Input.BUILD_FILE));
            if (!workspace.containsInput(file)) {
                throw inputs.invalid(Input.BUILD_FILE, "a file of the repository: it " + workspace.outside());
            }
            if (!Files.isRegularFile(file)) {
                throw new ActionException("Invalid input: build-file", "build-file is '" + inputs.string(Input.BUILD_FILE)
                        + "', but there is no such file in " + workingDirectory.toAbsolutePath().normalize()
                        + ". Give a path relative to the workspace, or leave it empty to use ./jib.yaml if present.");
            }
            return insideWorkspace(BuildFile.parse(file), inputs.string(Input.BUILD_FILE), workspace);
        }
        Path defaultFile = workingDirectory.resolve(DEFAULT_BUILD_FILE);
        return Files.isRegularFile(defaultFile) ? insideWorkspace(BuildFile.parse(defaultFile), DEFAULT_BUILD_FILE,
                workspace) : BuildSpec.of(null, List.of(), null, null);
    }

    private static BuildSpec insideWorkspace(BuildSpec spec, String fileName, Workspace workspace) {
        spec.layers().stream().flatMap(layer -> layer.copies().stream()).map(CopySpec::source)
                .filter(source -> !workspace.contains(source)).findFirst().ifPresent(source -> {
                    throw new ActionException("Invalid build file", fileName + ": the src " + source + " "
                            + workspace.outside() + ".");
                });
        return spec;
    }

    /** One layer per {@code SRC:DEST} line, named after its destination. */
    private static List<LayerSpec> layers(Inputs inputs, Workspace workspace) {
        Path workingDirectory = workspace.root();
        List<LayerSpec> layers = new ArrayList<>();
        for (String line : inputs.string(Input.LAYERS).split("\\r?\\n")) {
            if (line.isBlank()) {
                continue;
            }
            int separator = line.indexOf(":/");
            if (separator <= 0) {
                throw inputs.invalid(Input.LAYERS, "one SRC:DEST per line with an absolute DEST, such as"
                        + " build/deps:/app/deps (the line '" + line.strip() + "' is not)");
            }
            String source = line.substring(0, separator).strip();
            if (!workspace.containsInput(workingDirectory.resolve(source))) {
                throw new ActionException("Invalid input: layers", "Input 'layers': the source '" + source + "' "
                        + workspace.outside() + ".");
            }
            String destination = absolutePath(inputs, Input.LAYERS, line.substring(separator + 1).strip());
            layers.add(new LayerSpec(destination, List.of(new CopySpec(workingDirectory.resolve(source).toAbsolutePath()
                    .normalize(), destination, List.of(), List.of(), FileProperties.NONE))));
        }
        return List.copyOf(layers);
    }

    private static List<String> words(Inputs inputs, Input input) {
        try {
            return CommandLineWords.split(inputs.string(input));
        } catch (IllegalArgumentException e) {
            throw inputs.invalid(input, "a JSON array such as [\"python3\",\"-m\",\"gunicorn\"] or a shell-like line ("
                    + e.getMessage() + ")");
        }
    }

    /** KEY=VALUE lines. A rejection names the line and its key, never a value: values are often secrets. */
    private static Map<String, String> keyValues(Inputs inputs, Input input) {
        Map<String, String> values = new LinkedHashMap<>();
        String[] lines = inputs.string(input).split("\\r?\\n");
        for (int number = 1; number <= lines.length; number++) {
            String line = lines[number - 1];
            if (line.isBlank()) {
                continue;
            }
            int equals = line.indexOf('=');
            String key = equals < 0 ? "" : line.substring(0, equals).strip();
            if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                String problem = equals < 0 ? "has no '='" : key.isEmpty() ? "has no name before '='"
                        : "names '" + key + "', which is not a variable name";
                throw inputs.invalid(input, "NAME=value lines, the name made of letters, digits and _ and not starting"
                        + " with a digit; line " + number + " " + problem);
            }
            values.put(key, line.substring(equals + 1));
        }
        return values;
    }

    private static List<String> ports(Inputs inputs) {
        List<String> ports = new ArrayList<>();
        for (String port : inputs.list(Input.PORTS)) {
            String normalized = port.contains("/") ? port.toLowerCase() : port + "/tcp";
            String number = normalized.substring(0, normalized.indexOf('/'));
            if (!normalized.matches("\\d{1,5}/(tcp|udp)") || Integer.parseInt(number) < 1 || Integer.parseInt(number) > 65535) {
                throw inputs.invalid(Input.PORTS, "ports such as 8000 or 8000/tcp or 53/udp (" + port + " is not)");
            }
            ports.add(normalized);
        }
        return List.copyOf(ports);
    }

    private static List<String> platforms(Inputs inputs) {
        for (String platform : inputs.list(Input.PLATFORMS)) {
            if (!PLATFORMS.contains(platform)) {
                throw inputs.invalid(Input.PLATFORMS, "platforms from " + String.join(", ", PLATFORMS.stream().sorted().toList())
                        + " (" + platform + " is not one)");
            }
        }
        return inputs.list(Input.PLATFORMS);
    }

    private static String user(Inputs inputs) {
        String user = inputs.string(Input.USER);
        if (!user.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?")) {
            throw inputs.invalid(Input.USER, "a user such as 10001, 10001:10001 or app:app");
        }
        return user;
    }

    private static List<String> absolutePaths(Inputs inputs, Input input) {
        return inputs.list(input).stream().map(path -> absolutePath(inputs, input, path)).toList();
    }

    private static String absolutePath(Inputs inputs, Input input, String path) {
        if (!path.startsWith("/")) {
            throw inputs.invalid(input, "an absolute path inside the image such as /app (" + path + " is not)");
        }
        return path;
    }
}
