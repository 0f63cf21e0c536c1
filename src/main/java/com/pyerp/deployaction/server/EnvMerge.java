package com.pyerp.deployaction.server;

import com.pyerp.deployaction.action.DotEnv;
import com.pyerp.deployaction.config.EnvTemplate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The production {@code .env}: for each key, the first of these sources that has a non-empty value wins.
 * <ol>
 *   <li>the source {@code .env} (input {@code env-file});</li>
 *   <li>the value already in the server's {@code .env}, so a re-run never replaces a database password or
 *       {@code SECRET_KEY} that live data depends on;</li>
 *   <li>the template's default, or a generated value for a secret;</li>
 *   <li>a server-specific value (host name, addresses).</li>
 * </ol>
 * Keys come in template order, then the source's other keys, then keys only the server's file has (kept, so
 * that a value added by hand on the server survives).
 */
public final class EnvMerge {

    /** Where a value came from, as the summary names it. */
    public enum Origin {
        SOURCE("source file"), KEPT("kept"), DEFAULT("default"), GENERATED("generated"), SERVER("server");

        private final String label;

        Origin(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public record Value(String key, String value, Origin origin, boolean secret) {
        @Override
        public String toString() {
            return key + " (" + origin.label() + (secret ? ", secret" : "") + ")";
        }
    }

    /** The merged file; {@link #content()} is what gets written. */
    public record Result(List<Value> values) {
        public Result {
            values = List.copyOf(values);
        }

        public String content() {
            Map<String, String> map = new LinkedHashMap<>();
            values.forEach(value -> map.put(value.key(), value.value()));
            return DotEnv.write(map);
        }

        public List<String> secretValues() {
            return values.stream().filter(Value::secret).map(Value::value).filter(value -> !value.isEmpty()).toList();
        }
    }

    /** Required keys that no source has a value for. */
    public static final class MissingRequired extends RuntimeException {
        private final List<String> keys;

        MissingRequired(List<String> keys) {
            super(String.join(", ", keys));
            this.keys = List.copyOf(keys);
        }

        public List<String> keys() {
            return keys;
        }
    }

    private EnvMerge() {}

    public static Result merge(EnvTemplate template, DotEnv source, DotEnv existing, ServerFacts server,
            SecretGenerator generator) {
        Set<String> keys = new LinkedHashSet<>(template.keys().keySet());
        source.entries().forEach(entry -> keys.add(entry.key()));
        existing.entries().forEach(entry -> keys.add(entry.key()));
        Map<String, String> given = source.asMap();
        Map<String, String> kept = existing.asMap();
        List<Value> values = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String key : keys) {
            EnvTemplate.Spec spec = template.spec(key);
            boolean secret = spec.secret();
            String serverValue = spec.serverFact() == null ? "" : server.value(spec.serverFact());
            if (!given.getOrDefault(key, "").isEmpty()) {
                values.add(new Value(key, given.get(key), Origin.SOURCE, secret));
            } else if (!kept.getOrDefault(key, "").isEmpty()) {
                values.add(new Value(key, kept.get(key), Origin.KEPT, secret));
            } else if (!spec.defaultValue().isEmpty()) {
                values.add(new Value(key, spec.defaultValue(), Origin.DEFAULT, secret));
            } else if (secret) {
                values.add(new Value(key, generator.generate(key), Origin.GENERATED, true));
            } else if (!serverValue.isEmpty()) {
                values.add(new Value(key, serverValue, Origin.SERVER, secret));
            } else if (spec.required()) {
                missing.add(key);
            } else {
                values.add(new Value(key, "", given.containsKey(key) ? Origin.SOURCE
                        : template.keys().containsKey(key) ? Origin.DEFAULT : Origin.KEPT, secret));
            }
        }
        if (!missing.isEmpty()) {
            throw new MissingRequired(missing);
        }
        return new Result(values);
    }
}
