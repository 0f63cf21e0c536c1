package com.pyerp.deployaction.deploy;

import static com.pyerp.deployaction.deploy.DeployCommands.SHORT;

import com.pyerp.deployaction.config.HealthCheck;
import com.pyerp.deployaction.ssh.RemoteCommand;
import java.util.ArrayList;
import java.util.List;

/** What the health wait asks a server: the containers' states, and one request to health-url with curl. */
final class HealthCommands {

    private HealthCommands() {}

    private static final String STATE_FORMAT = "{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}"
            + "{{else}}-{{end}}";
    /** The exit status of {@link #statesThenProbe} when {@code docker inspect} failed. */
    static final int STATES_FAILED = 97;
    /** The line between the containers' states and the probe's output in {@link #statesThenProbe}. */
    static final String PROBE_FOLLOWS = "--- pyerp-deploy: health probe ---";

    /** One line per container: id, state (running, exited, ...) and health (healthy, unhealthy, starting, or -). */
    static RemoteCommand containerStates(List<String> containerIds) {
        List<String> argv = new ArrayList<>(List.of("docker", "inspect", "--format", STATE_FORMAT));
        argv.addAll(containerIds);
        return RemoteCommand.of(argv).withTimeout(SHORT);
    }

    /**
     * {@link #containerStates} and {@link #probe} in one round trip, which on a small server saves a login shell
     * per check: the states, the line {@link #PROBE_FOLLOWS}, then curl's output, with curl's exit status and
     * stderr; exit status {@link #STATES_FAILED} with docker's stderr when {@code docker inspect} fails.
     */
    static RemoteCommand statesThenProbe(List<String> containerIds, HealthCheck health) {
        // $1 holds the ids (hex: safe to split unquoted); the rest is curl's argv.
        String script = "states=$(docker inspect --format '" + STATE_FORMAT + "' $1) || exit " + STATES_FAILED + ";"
                + " shift; printf '%s\\n%s\\n' \"$states\" '" + PROBE_FOLLOWS + "'; exec \"$@\"";
        List<String> argv = new ArrayList<>(List.of("sh", "-c", script, "sh", String.join(" ", containerIds)));
        argv.addAll(probe(health).argv());
        return RemoteCommand.of(argv).withTimeout(health.requestTimeout().plusSeconds(SHORT.toSeconds()));
    }

    /** One request with curl on the server: prints the body, a newline and the status code. */
    static RemoteCommand probe(HealthCheck health) {
        List<String> argv = new ArrayList<>(List.of("curl", "-sS", "--noproxy", "*", "--max-time",
                Long.toString(health.requestTimeout().toSeconds()), "-o", "-", "-w", "\\n%{http_code}"));
        if (!health.host().isEmpty()) {
            argv.addAll(List.of("-H", "Host: " + health.host()));
        }
        argv.add(health.url().toString());
        return RemoteCommand.of(argv).withTimeout(health.requestTimeout().plusSeconds(5));
    }
}
