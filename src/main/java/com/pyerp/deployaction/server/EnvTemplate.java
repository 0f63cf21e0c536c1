package com.pyerp.deployaction.server;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@code .env.example}-style template says about each key: its default (the template's value), and the
 * marks in the comment on its line or right above it:
 * <ul>
 *   <li>{@code @secret}: never printed, and generated when no other source has a value;</li>
 *   <li>{@code @required}: the run fails when no source has a value (a required secret is never generated);</li>
 *   <li>{@code @server:hostname}, {@code @server:ip} or {@code @server:hosts}: filled from the server.</li>
 * </ul>
 * Keys named {@code *_PASSWORD}, {@code *_SECRET*}, {@code *_TOKEN} or {@code SECRET_KEY} are secrets without a
 * mark; {@code ALLOWED_HOSTS} and {@code DJANGO_ALLOWED_HOSTS} get {@code @server:hosts} without a mark.
 */
public record EnvTemplate(Map<String, Spec> keys) {

    private static final Pattern SERVER_MARK = Pattern.compile("@server:([a-z]+)");
    private static final Pattern MARK = Pattern.compile("@(secret|required|server)\\b");

    /** One key of the template. {@code serverFact} is empty unless the key is filled from the server. */
    public record Spec(String key, String defaultValue, boolean secret, boolean required, ServerFacts.Fact serverFact) {}

    public EnvTemplate {
        keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    }

    /**
     * @throws IllegalArgumentException for an unknown {@code @server:} fact, naming the key
     */
    public static EnvTemplate from(DotEnv template, String origin) {
        Map<String, Spec> keys = new LinkedHashMap<>();
        for (DotEnv.Entry entry : template.entries()) {
            String comment = entry.comment();
            Matcher server = SERVER_MARK.matcher(comment);
            ServerFacts.Fact fact = defaultFact(entry.key());
            if (server.find()) {
                fact = ServerFacts.Fact.named(server.group(1)).orElseThrow(() -> new IllegalArgumentException(origin
                        + ": " + entry.key() + " is marked '" + server.group() + "'; use @server:hostname, @server:ip"
                        + " or @server:hosts"));
            }
            keys.put(entry.key(), new Spec(entry.key(), entry.value(), hasMark(comment, "secret")
                    || isSecretName(entry.key()), hasMark(comment, "required"), fact));
        }
        return new EnvTemplate(keys);
    }

    /** The spec of {@code key}, or the one its name implies when the template does not list it. */
    public Spec spec(String key) {
        Spec spec = keys.get(key);
        return spec != null ? spec : new Spec(key, "", isSecretName(key), false, defaultFact(key));
    }

    /** {@code *_PASSWORD}, {@code *_SECRET*}, {@code *_TOKEN}, {@code SECRET_KEY} (any case). */
    public static boolean isSecretName(String key) {
        String name = key.toUpperCase(Locale.ROOT);
        return name.endsWith("_PASSWORD") || name.contains("_SECRET") || name.endsWith("_TOKEN")
                || name.equals("SECRET_KEY") || name.equals("PASSWORD");
    }

    private static ServerFacts.Fact defaultFact(String key) {
        return key.equals("ALLOWED_HOSTS") || key.equals("DJANGO_ALLOWED_HOSTS") ? ServerFacts.Fact.HOSTS : null;
    }

    private static boolean hasMark(String comment, String mark) {
        Matcher matcher = MARK.matcher(comment);
        while (matcher.find()) {
            if (matcher.group(1).equals(mark)) {
                return true;
            }
        }
        return false;
    }
}
