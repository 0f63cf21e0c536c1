package com.pyerp.deployaction.config;

import java.util.List;
import java.util.Locale;

/**
 * {@code engine: swarm}: the environment's hosts are Docker Swarm managers, and the release is a stack that
 * {@code docker stack deploy} updates with the compose file; Swarm schedules the tasks, rolls them out and rolls them
 * back. The deploy goes to the first manager that answers; the others are fallbacks.
 *
 * @param stack the stack's name, the prefix of its services' names ({@code STACK_web})
 */
public record SwarmStack(String stack) {

    /** How an environment's releases run: Compose on each host, or a Swarm stack through one manager. */
    enum Engine {
        COMPOSE, SWARM
    }

    /** The keys that apply only to the Compose engine, where the action itself goes from host to host. */
    private static final List<String> COMPOSE_ONLY = List.of("strategy", "batch-size", "switch");

    /** Null for {@code engine: compose}, the default; {@code stack} applies only to swarm. */
    static SwarmStack read(EnvironmentSection s, String project, String appDir) {
        Engine engine = s.get("engine", v -> Choices.named(Engine.class, s.text(v)).orElseThrow(() -> s.invalid(v,
                "engine", "'" + s.text(v) + "' must be compose or swarm")), Engine.COMPOSE);
        if (engine == Engine.COMPOSE) {
            if (s.has("stack")) {
                throw s.invalid(s.get("stack", v -> v, null), "stack", "applies only with engine: swarm; set engine:"
                        + " swarm or remove it");
            }
            return null;
        }
        for (String key : COMPOSE_ONLY) {
            if (s.has(key)) {
                throw s.invalid(s.get(key, v -> v, null), key, "does not apply with engine: swarm, where Swarm rolls the"
                        + " tasks out by the compose file's deploy.update_config; remove it");
            }
        }
        String fallback = project.isEmpty() ? defaultName(appDir) : project;
        return new SwarmStack(s.get("stack", v -> s.matching(v, "[a-z0-9][a-z0-9_-]{0,39}", "a stack name: lower-case"
                + " letters, digits, '-' and '_', at most 40 characters"), fallback));
    }

    /** app-dir's last directory name, as Compose names a project. */
    static String defaultName(String appDir) {
        String name = appDir.substring(appDir.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "");
        name = name.replaceFirst("^[_-]+", "");
        return name.isEmpty() ? "app" : name.substring(0, Math.min(40, name.length()));
    }
}
