package com.pyerp.deployaction.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The inputs and outputs declared in action.yml, the single source of their descriptions and defaults. */
public record ActionManifest(String name, String description, List<Parameter> inputs, List<Parameter> outputs) {

    /** One declared input or output. {@code defaultValue} is empty for outputs and for inputs without a default. */
    public record Parameter(String name, String description, String defaultValue) {}

    public static final String RESOURCE = "/action.yml";

    /** Reads the copy of action.yml packed into the jar. */
    public static ActionManifest load() {
        try (InputStream in = ActionManifest.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("action.yml is missing from the jar");
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ActionManifest parse(InputStream yaml) {
        Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        return new ActionManifest(
                text(root.get("name")),
                text(root.get("description")),
                parameters(root.get("inputs")),
                parameters(root.get("outputs")));
    }

    @SuppressWarnings("unchecked")
    private static List<Parameter> parameters(Object section) {
        List<Parameter> parameters = new ArrayList<>();
        if (section instanceof Map<?, ?> map) {
            map.forEach((name, body) -> {
                Map<String, Object> fields = body instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
                parameters.add(new Parameter(
                        String.valueOf(name), text(fields.get("description")), text(fields.get("default"))));
            });
        }
        return List.copyOf(parameters);
    }

    private static String text(Object value) {
        return Objects.toString(value, "");
    }
}
