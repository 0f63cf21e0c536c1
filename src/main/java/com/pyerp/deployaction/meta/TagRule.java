package com.pyerp.deployaction.meta;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.Csv;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One line of the {@code tags} input, in docker/metadata-action syntax: {@code type=semver,pattern={{version}}}.
 *
 * @param attributes every attribute as written plus the type's defaults (pattern, prefix, priority, enable, …)
 * @param source the line as the user wrote it, for messages
 */
public record TagRule(Type type, Map<String, String> attributes, String source) {

    public enum Type {
        SCHEDULE(1000), SEMVER(900), PEP440(900), MATCH(800), EDGE(700), REF(600), RAW(200), SHA(100);

        private final int defaultPriority;

        Type(int defaultPriority) {
            this.defaultPriority = defaultPriority;
        }

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Set<String> COMMON = Set.of("type", "enable", "priority", "prefix", "suffix");
    private static final Map<Type, Set<String>> OWN = Map.of(
            Type.SCHEDULE, Set.of("pattern"),
            Type.SEMVER, Set.of("pattern", "value", "match"),
            Type.PEP440, Set.of("pattern", "value", "match"),
            Type.MATCH, Set.of("pattern", "group", "value"),
            Type.EDGE, Set.of("branch"),
            Type.REF, Set.of("event"),
            Type.RAW, Set.of("value"),
            Type.SHA, Set.of("format"));

    /** Parses every rule and orders them by priority, highest first; equal priorities keep their order. */
    public static List<TagRule> parseAll(List<String> lines) {
        List<TagRule> rules = new ArrayList<>();
        for (String line : lines) {
            rules.add(parse(line));
        }
        rules.sort(Comparator.comparingLong(TagRule::priority).reversed());
        return Collections.unmodifiableList(rules);
    }

    public static TagRule parse(String line) {
        Map<String, String> attributes = new LinkedHashMap<>();
        Type type = Type.RAW;
        for (String field : Csv.strictFields(line, problem -> invalid(line, problem))) {
            int equals = field.indexOf('=', 1);
            if (field.isEmpty() || field.charAt(0) == '=' || equals < 0) {
                attributes.put("value", field.trim());
                continue;
            }
            String key = field.substring(0, equals).trim().toLowerCase(Locale.ROOT);
            String value = field.substring(equals + 1).trim();
            if (key.equals("type")) {
                type = typeNamed(value, line);
            } else {
                attributes.put(key, value);
            }
        }
        applyDefaults(type, attributes, line);
        return new TagRule(type, Collections.unmodifiableMap(attributes), line);
    }

    public String attribute(String name) {
        return attributes.getOrDefault(name, "");
    }

    public boolean has(String name) {
        return attributes.containsKey(name);
    }

    public long priority() {
        return Long.parseLong(attributes.get("priority"));
    }

    /** Attributes that this type does not know; metadata-action ignores them silently, we warn. */
    public List<String> unknownAttributes() {
        return attributes.keySet().stream()
                .filter(key -> !COMMON.contains(key) && !OWN.get(type).contains(key))
                .toList();
    }

    private static void applyDefaults(Type type, Map<String, String> attributes, String line) {
        switch (type) {
            case SCHEDULE -> attributes.putIfAbsent("pattern", "nightly");
            case SEMVER, PEP440 -> {
                require(attributes, "pattern", line);
                attributes.putIfAbsent("value", "");
                attributes.putIfAbsent("match", "");
            }
            case MATCH -> {
                require(attributes, "pattern", line);
                attributes.putIfAbsent("group", "0");
                if (!attributes.get("group").matches("\\d+")) {
                    throw invalid(line, "group=" + attributes.get("group") + " is not a group number");
                }
                attributes.putIfAbsent("value", "");
            }
            case EDGE -> attributes.putIfAbsent("branch", "");
            case REF -> {
                require(attributes, "event", line);
                String event = attributes.get("event");
                if (!Set.of("branch", "tag", "pr").contains(event)) {
                    throw invalid(line, "event=" + event + " must be branch, tag or pr");
                }
                if (event.equals("pr")) {
                    attributes.putIfAbsent("prefix", "pr-");
                }
            }
            case RAW -> require(attributes, "value", line);
            case SHA -> {
                attributes.putIfAbsent("prefix", "sha-");
                attributes.putIfAbsent("format", "short");
                if (!Set.of("short", "long").contains(attributes.get("format"))) {
                    throw invalid(line, "format=" + attributes.get("format") + " must be short or long");
                }
            }
        }
        attributes.putIfAbsent("enable", "true");
        attributes.putIfAbsent("priority", Integer.toString(type.defaultPriority));
        if (!attributes.get("priority").matches("-?\\d{1,18}")) {
            throw invalid(line, "priority=" + attributes.get("priority") + " is not a whole number");
        }
    }

    private static Type typeNamed(String value, String line) {
        for (Type type : Type.values()) {
            if (type.id().equals(value)) {
                return type;
            }
        }
        throw invalid(line, "type=" + value + " is not a tag type (schedule, semver, pep440, match, edge, ref, raw, sha)");
    }

    private static void require(Map<String, String> attributes, String name, String line) {
        if (!attributes.containsKey(name)) {
            throw invalid(line, "it needs a " + name + "= attribute");
        }
    }

    private static ActionException invalid(String line, String problem) {
        return new ActionException("Invalid input: tags",
                "The tag rule '" + line + "' is invalid: " + problem + ". See the tags syntax of docker/metadata-action.");
    }
}
