package com.pyerp.deployaction.config;

import com.pyerp.deployaction.action.DotEnv;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a {@code .env.example}-style template says about each key: its default (the template's value), and its
 * marks. A mark line is a comment, directly above the key or on its line, made only of mark words separated
 * by spaces or commas, each with or without a leading {@code @}: {@code # required, secret},
 * {@code KEY= # @required}, {@code # server:hosts}.
 * <ul>
 *   <li>{@code secret}: never printed, and generated when no other source has a value;</li>
 *   <li>{@code required}: the run fails, naming the key, when no source has a value;</li>
 *   <li>{@code server:hostname}, {@code server:ip} or {@code server:hosts}: filled from the server.</li>
 * </ul>
 * Keys named {@code *_PASSWORD}, {@code *_SECRET*}, {@code *_TOKEN} or {@code SECRET_KEY} are secrets without a
 * mark; {@code ALLOWED_HOSTS} and {@code DJANGO_ALLOWED_HOSTS} are {@code server:hosts} without a mark.
 */
public record EnvTemplate(Map<String, Spec> keys) {

    private static final Pattern WORDS = Pattern.compile("[\\s,]+");
    private static final Pattern MARK = Pattern.compile("@?(required|secret|server:.*)");

    /** One key of the template. {@code serverFact} is null unless the key is filled from the server. */
    public record Spec(String key, String defaultValue, boolean secret, boolean required, ServerFact serverFact) {}

    public EnvTemplate {
        keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    }

    /**
     * @throws IllegalArgumentException for an unknown {@code server:} fact, naming the key
     */
    public static EnvTemplate from(DotEnv template, String origin) {
        Map<String, Spec> keys = new LinkedHashMap<>();
        for (DotEnv.Entry entry : template.entries()) {
            boolean secret = isSecretName(entry.key());
            boolean required = false;
            ServerFact fact = defaultFact(entry.key());
            for (String mark : marks(entry.comment())) {
                if (mark.equals("secret")) {
                    secret = true;
                } else if (mark.equals("required")) {
                    required = true;
                } else {
                    fact = ServerFact.named(mark.substring(7)).orElseThrow(() -> new IllegalArgumentException(
                            origin + ": " + entry.key() + " is marked '" + mark + "'; use server:hostname, server:ip or"
                                    + " server:hosts"));
                }
            }
            keys.put(entry.key(), new Spec(entry.key(), entry.value(), secret, required, fact));
        }
        return new EnvTemplate(keys);
    }

    /** The marks of every comment line that holds nothing but marks, without their {@code @}. */
    public static List<String> marks(String comment) {
        List<String> marks = new ArrayList<>();
        for (String line : comment.lines().toList()) {
            List<String> words = WORDS.splitAsStream(line.strip()).filter(word -> !word.isEmpty()).toList();
            if (!words.isEmpty() && words.stream().allMatch(word -> MARK.matcher(word).matches())) {
                words.forEach(word -> marks.add(word.startsWith("@") ? word.substring(1) : word));
            }
        }
        return marks;
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

    private static ServerFact defaultFact(String key) {
        return key.equals("ALLOWED_HOSTS") || key.equals("DJANGO_ALLOWED_HOSTS") ? ServerFact.HOSTS : null;
    }
}
