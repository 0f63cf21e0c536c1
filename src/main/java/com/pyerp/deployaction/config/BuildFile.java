package com.pyerp.deployaction.config;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.config.BuildSpec.CopySpec;
import com.pyerp.deployaction.config.BuildSpec.FileProperties;
import com.pyerp.deployaction.config.BuildSpec.LayerSpec;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
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
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a jib-cli build file ({@code apiVersion: jib/v1alpha1}, {@code kind: BuildFile}) into a {@link BuildSpec}.
 * Relative {@code src} paths start at the file's directory. Every rejection names the file and line.
 *
 * <p>Values are taken as written (the YAML node's text), so {@code filePermissions: 644} and {@code - 8000} read
 * as the strings jib-cli expects. Unlike jib-cli, {@code ${KEY}} template parameters are rejected, not substituted.
 */
public final class BuildFile {

    private static final String TITLE = "Invalid build file";

    private static final List<String> TOP_KEYS = List.of("apiVersion", "kind", "from", "creationTime", "format",
            "environment", "labels", "volumes", "exposedPorts", "user", "workingDirectory", "entrypoint", "cmd",
            "layers");
    private static final List<String> FROM_KEYS = List.of("image", "platforms");
    private static final List<String> PLATFORM_KEYS = List.of("architecture", "os", "variant");
    private static final List<String> LAYERS_KEYS = List.of("properties", "entries");
    private static final List<String> LAYER_KEYS = List.of("name", "properties", "files");
    private static final List<String> COPY_KEYS = List.of("src", "dest", "includes", "excludes", "properties");
    private static final List<String> PROPERTY_KEYS =
            List.of("filePermissions", "directoryPermissions", "user", "group", "timestamp");
    private static final Pattern PORT = Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?(?:/(tcp|udp))?");
    private static final Pattern PERMISSIONS = Pattern.compile("[0-7]{3}");

    /**
     * A value to read: its name in messages (a path such as {@code layers.entries[0].name}), the node whose line
     * errors point at (the key's, so a block value is reported where it starts), and the value.
     */
    private record Field(String name, Node at, Node value) {}

    private final String file;
    private final Path baseDirectory;

    private BuildFile(String file, Path baseDirectory) {
        this.file = file;
        this.baseDirectory = baseDirectory;
    }

    public static BuildSpec parse(Path file) {
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ActionException(TITLE, file + ": file not found (looked for " + file.toAbsolutePath()
                    + "); set the 'build-file' input to the path of your build file, relative to the working"
                    + " directory");
        } catch (CharacterCodingException e) {
            throw new ActionException(TITLE, file + ": not UTF-8 text; save the file as UTF-8");
        } catch (IOException e) {
            throw new ActionException(TITLE, file + ": cannot be read (" + e
                    + "); set the 'build-file' input to the path of a readable file", e);
        }
        return parse(yaml, file.toAbsolutePath().getParent(), file.toString());
    }

    static BuildSpec parse(String yaml, Path baseDirectory, String displayName) {
        Node root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(yaml));
        } catch (YAMLException e) {
            if (e instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
                String problem = marked.getContext() == null ? marked.getProblem()
                        : marked.getContext() + ", " + marked.getProblem();
                throw new ActionException(TITLE, displayName + ":" + (marked.getProblemMark().getLine() + 1)
                        + ": invalid YAML (" + problem + " at column " + (marked.getProblemMark().getColumn() + 1)
                        + "); check the indentation and quoting on this line and the one before", e);
            }
            throw new ActionException(TITLE, displayName + ": invalid YAML (" + e.getMessage() + "); fix the syntax",
                    e);
        }
        if (root == null) {
            throw new ActionException(TITLE, displayName
                    + ":1: the file is empty; start it with apiVersion: jib/v1alpha1 and kind: BuildFile");
        }
        return new BuildFile(displayName, baseDirectory.toAbsolutePath()).spec(new Field("", root, root));
    }

    private BuildSpec spec(Field root) {
        Map<String, Field> top = mapping(root, TOP_KEYS);
        expect(required(root, top, "apiVersion", "add apiVersion: jib/v1alpha1"), "jib/v1alpha1");
        expect(required(root, top, "kind", "add kind: BuildFile"), "BuildFile");
        Field from = top.get("from");
        Map<String, Field> base = from == null ? Map.of() : mapping(from, FROM_KEYS);
        return new BuildSpec(
                from == null ? null : string(required(from, base, "image",
                        "add image: <base image reference> (the base-image input overrides it)")),
                get(base, "platforms", f -> each(f, this::platform), List.of()),
                get(top, "creationTime", this::instant, null),
                get(top, "format", this::format, null),
                get(top, "environment", this::dictionary, Map.of()),
                get(top, "labels", this::dictionary, Map.of()),
                get(top, "volumes", f -> each(f, this::absolutePath), List.of()),
                get(top, "exposedPorts", this::ports, List.of()),
                get(top, "user", this::string, null),
                get(top, "workingDirectory", this::absolutePath, null),
                get(top, "entrypoint", this::command, null),
                get(top, "cmd", this::command, null),
                get(top, "layers", this::layers, List.of()));
    }

    private String platform(Field f) {
        Map<String, Field> fields = mapping(f, PLATFORM_KEYS);
        String architecture = string(required(f, fields, "architecture", "add architecture: amd64 (or arm64, ...)"));
        String os = string(required(f, fields, "os", "add os: linux"));
        String variant = get(fields, "variant", this::string, null);
        String platform = os + "/" + architecture + (variant == null ? "" : "/" + variant);
        if (!BuildDefinition.PLATFORMS.contains(platform)) {
            throw fail(f.at(), label(f) + " is the platform " + platform + ", which is not supported; use one of "
                    + String.join(", ", BuildDefinition.PLATFORMS.stream().sorted().toList())
                    + " (os/architecture[/variant])");
        }
        return platform;
    }

    private String format(Field f) {
        String format = string(f);
        if (!List.of("docker", "oci").contains(format.toLowerCase(Locale.ROOT))) {
            throw fail(f.at(), label(f) + " is '" + format + "', but it must be Docker or OCI; write format: Docker"
                    + " (or format: OCI)");
        }
        return format.toLowerCase(Locale.ROOT);
    }

    /** Each entry as {@code N/tcp} or {@code N/udp}; a range such as {@code 8000-8002} stands for each port in it. */
    private List<String> ports(Field f) {
        return each(f, this::port).stream().flatMap(List::stream).distinct().toList();
    }

    private List<String> port(Field f) {
        String port = string(f);
        Matcher matcher = PORT.matcher(port);
        if (matcher.matches()) {
            int first = Integer.parseInt(matcher.group(1));
            int last = matcher.group(2) == null ? first : Integer.parseInt(matcher.group(2));
            String protocol = matcher.group(3) == null ? "tcp" : matcher.group(3);
            if (first >= 1 && first <= last && last <= 65535) {
                return IntStream.rangeClosed(first, last).mapToObj(number -> number + "/" + protocol).toList();
            }
        }
        throw fail(f.at(), label(f) + " is '" + port + "', but it must be a port from 1 to 65535 or an ascending"
                + " range such as 8000-8010, optionally followed by /tcp or /udp; write e.g. \"8000\" or \"8000/udp\"");
    }

    /** entrypoint and cmd: a list, or a single word as a one-element list. */
    private List<String> command(Field f) {
        if (!(f.value() instanceof ScalarNode)) {
            return each(f, this::text);
        }
        String word = string(f);
        String[] words = word.strip().split("\\s+");
        if (words.length > 1) {
            throw fail(f.at(), label(f) + " is the single value '" + word + "', which would run a program named"
                    + " exactly that, spaces included; write it as a list: [\"" + String.join("\", \"", words) + "\"]");
        }
        return List.of(word);
    }

    private List<LayerSpec> layers(Field f) {
        Map<String, Field> fields = mapping(f, LAYERS_KEYS);
        FileProperties all = get(fields, "properties", this::properties, FileProperties.NONE);
        return nonEmpty(required(f, fields, "entries", "add entries: with at least one layer, or remove 'layers'"),
                entry -> layer(entry, all));
    }

    private LayerSpec layer(Field f, FileProperties all) {
        Map<String, Field> fields = mapping(f, LAYER_KEYS);
        String name = string(required(f, fields, "name", "add name: <layer name>"));
        FileProperties layer = get(fields, "properties", this::properties, FileProperties.NONE).over(all);
        return new LayerSpec(name, nonEmpty(required(f, fields, "files", "add files: with at least one src and dest"),
                file -> copy(file, layer)));
    }

    private CopySpec copy(Field f, FileProperties layer) {
        Map<String, Field> fields = mapping(f, COPY_KEYS);
        String source = string(required(f, fields, "src", "add src: <file or directory, relative to the build file>"));
        return new CopySpec(
                baseDirectory.resolve(source).normalize(),
                absolutePath(required(f, fields, "dest", "add dest: <absolute path in the image>")),
                get(fields, "includes", includes -> each(includes, this::string), List.of()),
                get(fields, "excludes", excludes -> each(excludes, this::string), List.of()),
                get(fields, "properties", this::properties, FileProperties.NONE).over(layer));
    }

    private FileProperties properties(Field f) {
        Map<String, Field> fields = mapping(f, PROPERTY_KEYS);
        return new FileProperties(
                get(fields, "filePermissions", this::permissions, null),
                get(fields, "directoryPermissions", this::permissions, null),
                get(fields, "user", this::string, null),
                get(fields, "group", this::string, null),
                get(fields, "timestamp", this::instant, null));
    }

    private String permissions(Field f) {
        String permissions = string(f);
        if (!PERMISSIONS.matcher(permissions).matches()) {
            throw fail(f.at(), label(f) + " is '" + permissions + "', but it must be 3 octal digits (owner, group,"
                    + " others); write e.g. \"644\" for files or \"755\" for directories");
        }
        return permissions;
    }

    private Instant instant(Field f) {
        String time = string(f);
        try {
            return time.matches("\\d{1,18}") ? Instant.ofEpochMilli(Long.parseLong(time))
                    : DateTimeFormatter.ISO_DATE_TIME.parse(time, Instant::from);
        } catch (DateTimeException e) {
            throw fail(f.at(), label(f) + " is '" + time + "', but it must be milliseconds since the epoch or an"
                    + " ISO 8601 date-time with an offset; write e.g. 1000 or \"2024-01-31T12:00:00Z\"");
        }
    }

    private String absolutePath(Field f) {
        String path = string(f);
        if (!path.startsWith("/")) {
            throw fail(f.at(), label(f) + " is '" + path + "', but it must be an absolute path in the image;"
                    + " start it with /");
        }
        return path;
    }

    private void expect(Field f, String expected) {
        String value = string(f);
        if (!value.equals(expected)) {
            throw fail(f.at(), label(f) + " is '" + value + "', but it must be " + expected + "; write "
                    + f.name() + ": " + expected);
        }
    }

    // The YAML shapes. Each checks the node type and names the field when it is wrong.

    /** The entries of a mapping by key, each key allowed (any key when {@code allowed} is null) and unique. */
    private Map<String, Field> mapping(Field f, List<String> allowed) {
        if (!(f.value() instanceof MappingNode mapping)) {
            throw allowed == null
                    ? typeError(f, "a mapping of names to values", "write NAME: value lines")
                    : typeError(f, "a mapping with the keys " + String.join(", ", allowed), "write key: value lines");
        }
        Map<String, Field> fields = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode scalarKey)) {
                throw fail(keyNode, "a key " + where(f) + " is " + describe(keyNode) + "; keys must be plain names");
            }
            String key = scalarKey.getValue();
            if (allowed != null && !allowed.contains(key)) {
                throw fail(keyNode, "unknown key '" + key + "' " + where(f) + "; the allowed keys are "
                        + String.join(", ", allowed));
            }
            Field field = new Field(f.name().isEmpty() ? key : f.name() + "." + key, keyNode, tuple.getValueNode());
            if (key.contains("${")) {
                throw templateError(field, key);
            }
            Field first = fields.putIfAbsent(key, field);
            if (first != null) {
                throw fail(keyNode, "duplicate key '" + key + "' " + where(f) + " (first at line " + line(first.at())
                        + "); keep only one");
            }
        }
        return fields;
    }

    private Map<String, String> dictionary(Field f) {
        Map<String, String> values = new LinkedHashMap<>();
        mapping(f, null).forEach((key, value) -> values.put(key, text(value)));
        return Collections.unmodifiableMap(values);
    }

    private <T> List<T> each(Field f, Function<Field, T> read) {
        if (!(f.value() instanceof SequenceNode sequence)) {
            throw typeError(f, "a list", f.value() instanceof ScalarNode scalar && !isNull(scalar)
                    ? "write it as a list: [\"" + scalar.getValue() + "\"]"
                    : "write each item on its own line starting with '- '");
        }
        List<T> items = new ArrayList<>();
        for (Node item : sequence.getValue()) {
            items.add(read.apply(new Field(f.name() + "[" + items.size() + "]", item, item)));
        }
        return List.copyOf(items);
    }

    private <T> List<T> nonEmpty(Field f, Function<Field, T> read) {
        List<T> items = each(f, read);
        if (items.isEmpty()) {
            throw fail(f.at(), label(f) + " is an empty list; add at least one entry");
        }
        return items;
    }

    /** A single non-empty value. */
    private String string(Field f) {
        String value = text(f);
        if (value.isBlank()) {
            throw fail(f.at(), label(f) + " is empty; give it a value or remove it");
        }
        return value;
    }

    /** A single value, which may be "" (environment values and command arguments). */
    private String text(Field f) {
        if (!(f.value() instanceof ScalarNode scalar)) {
            throw typeError(f, "a single value", "write one value, in quotes if it contains ': ' or starts with"
                    + " '[', '{' or '- '");
        }
        if (isNull(scalar)) {
            throw fail(f.at(), label(f) + " has no value; give it one (\"\" for an empty string) or remove it");
        }
        if (scalar.getValue().contains("${")) {
            throw templateError(f, scalar.getValue());
        }
        return scalar.getValue();
    }

    private Field required(Field section, Map<String, Field> fields, String key, String fix) {
        Field field = fields.get(key);
        if (field == null) {
            throw fail(section.at(), "missing required key '" + key + "' " + where(section) + "; " + fix);
        }
        return field;
    }

    private static <T> T get(Map<String, Field> fields, String key, Function<Field, T> read, T absent) {
        Field field = fields.get(key);
        return field == null ? absent : read.apply(field);
    }

    private ActionException typeError(Field f, String expected, String fix) {
        return fail(f.at(), label(f) + " must be " + expected + ", but it is " + describe(f.value()) + "; " + fix);
    }

    private ActionException templateError(Field f, String value) {
        return fail(f.at(), label(f) + " contains '" + value + "', but template parameters (${...}) are not"
                + " supported; write the value itself into the build file, or set it with the action's inputs");
    }

    private ActionException fail(Node at, String message) {
        return new ActionException(TITLE, file + ":" + line(at) + ": " + message);
    }

    private static String label(Field f) {
        return f.name().isEmpty() ? "the build file" : "'" + f.name() + "'";
    }

    private static String where(Field f) {
        return f.name().isEmpty() ? "at the top level" : "in '" + f.name() + "'";
    }

    private static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return isNull(node) ? "empty" : "the single value '" + ((ScalarNode) node).getValue() + "'";
    }

    private static boolean isNull(Node node) {
        return node.getTag().equals(Tag.NULL);
    }

    private static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }
}
