package com.pyerp.deployaction.config;

import com.pyerp.deployaction.action.ActionException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The {@code deploy-config} file: under {@code environments:}, one section per environment, each a mapping of the
 * keys in {@link #KEYS}. Values are kept as written (text or a list of texts) with their line, so that later checks
 * can name {@code file:line}. Unknown keys are errors.
 *
 * <pre>
 * environments:
 *   staging:
 *     branches: [dev]
 *     hosts: [staging.example.com]
 *     health-url: http://127.0.0.1:8000/health/
 *   production:
 *     branches: [prod]
 *     tags: ['v*']
 *     hosts: [app1.example.com, app2.example.com]
 * </pre>
 */
public final class DeployConfigFile {

    /** Every key an environment section may have: those {@link DeployConfigSchema} declares. */
    public static final Set<String> KEYS = Set.copyOf(DeployConfigSchema.names());

    static final String TITLE = "Invalid deploy-config";

    /** One value: a single text or a list of texts, where it was written. */
    public record Value(String text, List<String> list, int line) {
        public boolean isList() {
            return list != null;
        }
    }

    private final String name;
    private final Map<String, Map<String, Value>> environments;

    private DeployConfigFile(String name, Map<String, Map<String, Value>> environments) {
        this.name = name;
        this.environments = environments;
    }

    /** @param name the file's name, for messages */
    public static DeployConfigFile parse(String yaml, String name) {
        Node root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(yaml));
        } catch (YAMLException e) {
            if (e instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
                throw new ActionException(TITLE, name + ":" + (marked.getProblemMark().getLine() + 1) + ": invalid YAML ("
                        + marked.getProblem() + "); check the indentation and quoting on this line and the one before.", e);
            }
            throw new ActionException(TITLE, name + ": invalid YAML (" + e.getMessage() + ").", e);
        }
        MappingNode sections = null;
        if (root instanceof MappingNode top) {
            for (NodeTuple entry : top.getValue()) {
                String key = scalar(entry.getKeyNode(), name);
                if (!key.equals("environments")) {
                    throw new ActionException(TITLE, name + ":" + line(entry.getKeyNode()) + ": unknown top-level key '"
                            + key + "'; the file holds 'environments:' only, with one section per environment under it.");
                }
                if (entry.getValueNode() instanceof MappingNode mapping) {
                    sections = mapping;
                }
            }
        }
        if (sections == null || sections.getValue().isEmpty()) {
            throw new ActionException(TITLE, name + ": expected 'environments:' with one section per environment, such as"
                    + " 'staging:' and 'production:', each with hosts and the branches that deploy to it.");
        }
        Map<String, Map<String, Value>> environments = new LinkedHashMap<>();
        for (NodeTuple section : sections.getValue()) {
            String environment = scalar(section.getKeyNode(), name);
            if (!environment.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
                throw new ActionException(TITLE, name + ":" + line(section.getKeyNode()) + ": '" + environment
                        + "' is not an environment name; use letters, digits, '.', '_' and '-'.");
            }
            if (!(section.getValueNode() instanceof MappingNode body)) {
                throw new ActionException(TITLE, name + ":" + line(section.getKeyNode()) + ": environment '" + environment
                        + "' must be a mapping of settings such as hosts: and branches:.");
            }
            Map<String, Value> values = new LinkedHashMap<>();
            for (NodeTuple entry : body.getValue()) {
                String key = scalar(entry.getKeyNode(), name);
                if (!KEYS.contains(key)) {
                    throw new ActionException(TITLE, name + ":" + line(entry.getKeyNode()) + ": environment '"
                            + environment + "' has the unknown key '" + key + "'. Known keys: "
                            + String.join(", ", KEYS.stream().sorted().toList()) + ".");
                }
                values.put(key, value(entry.getValueNode(), name, environment, key));
            }
            environments.put(environment, values);
        }
        return new DeployConfigFile(name, environments);
    }

    public String name() {
        return name;
    }

    public List<String> environments() {
        return List.copyOf(environments.keySet());
    }

    public boolean has(String environment) {
        return environments.containsKey(environment);
    }

    /** The section's values by key; empty for an unknown environment. */
    public Map<String, Value> section(String environment) {
        return environments.getOrDefault(environment, Map.of());
    }

    private static Value value(Node node, String file, String environment, String key) {
        if (node instanceof ScalarNode scalar) {
            return new Value(scalar.getValue(), null, line(node));
        }
        if (node instanceof SequenceNode sequence) {
            List<String> items = new ArrayList<>();
            for (Node item : sequence.getValue()) {
                if (!(item instanceof ScalarNode scalar)) {
                    throw new ActionException(TITLE, file + ":" + line(item) + ": '" + key + "' of environment '"
                            + environment + "' must be a list of plain values.");
                }
                items.add(scalar.getValue());
            }
            return new Value(null, List.copyOf(items), line(node));
        }
        throw new ActionException(TITLE, file + ":" + line(node) + ": '" + key + "' of environment '" + environment
                + "' must be a value or a list, not a mapping.");
    }

    private static String scalar(Node node, String file) {
        if (node instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        throw new ActionException(TITLE, file + ":" + line(node) + ": expected a plain key here.");
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }
}
