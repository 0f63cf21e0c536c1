package com.pyerp.deployaction.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The declared keys of a deploy-config environment section, from {@code deploy-config.schema.yml} in the jar: what
 * {@link DeployConfigFile} accepts, and what the reference in docs/deploy.md lists.
 */
final class DeployConfigSchema {

    /** One key: its value's type and default as the reference writes them, the input that wins over it, what it does. */
    record Key(String name, String type, String defaultValue, String input, String description) {}

    static final List<Key> KEYS = load();

    private DeployConfigSchema() {}

    static List<String> names() {
        return KEYS.stream().map(Key::name).toList();
    }

    private static List<Key> load() {
        try (InputStream in = DeployConfigSchema.class.getResourceAsStream("/deploy-config.schema.yml")) {
            Map<String, Map<String, Object>> keys = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            List<Key> loaded = new ArrayList<>();
            keys.forEach((name, spec) -> loaded.add(new Key(name, text(spec, "type"), text(spec, "default"),
                    text(spec, "input"), text(spec, "description"))));
            return List.copyOf(loaded);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(Map<String, Object> spec, String field) {
        Object value = spec.get(field);
        return value == null ? "" : value.toString();
    }
}
