package com.pyerp.deployaction.deploy;

import com.pyerp.deployaction.config.HealthCheck;
import com.pyerp.deployaction.ssh.CommandResult;
import com.pyerp.deployaction.ssh.OutputListener;
import com.pyerp.deployaction.ssh.RemoteCommand;
import com.pyerp.deployaction.ssh.RemoteShell;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Waits until a release is healthy on one server: its containers run and are not {@code unhealthy}, and
 * {@code health-url} answers as expected enough times in a row; without a health-url, the containers' state alone.
 */
final class HealthWait {

    private final RemoteShell shell;
    private final HealthCheck health;
    private final HostLog log;
    /** Null for {@link #urlOnly}. */
    private final Function<String, List<String>> containers;

    private HealthWait(RemoteShell shell, HealthCheck health, HostLog log, Function<String, List<String>> containers) {
        this.shell = shell;
        this.health = health;
        this.log = log;
        this.containers = containers;
    }

    /**
     * @param health null for the containers' state alone
     * @param containers the ids of an image's containers of the app's services
     */
    static HealthWait ofContainers(RemoteShell shell, HealthCheck health, HostLog log,
            Function<String, List<String>> containers) {
        return new HealthWait(shell, health, log, containers);
    }

    /** Checks {@code health} alone, for an engine that watches its containers itself. */
    static HealthWait urlOnly(RemoteShell shell, HealthCheck health, HostLog log) {
        return new HealthWait(shell, health, log, null);
    }

    /** Null when healthy; else what was wrong at the last check. */
    String waitHealthy(String image, Duration atLeast) {
        Duration timeout = health == null ? Duration.ofSeconds(60) : health.timeout();
        timeout = timeout.compareTo(atLeast) < 0 ? atLeast : timeout;
        Duration interval = health == null ? Duration.ofSeconds(2) : health.interval();
        int needed = health == null ? 2 : health.successes();
        Instant deadline = Instant.now().plus(timeout);
        int streak = 0;
        String last = "no check ran";
        List<String> ids = List.of();
        while (true) {
            // The containers stay the same while their health is polled: look them up once they exist.
            ids = ids.isEmpty() && containers != null ? containers.apply(image) : ids;
            String problem = containers == null ? probe() : checkOnce(ids);
            if (problem == null) {
                streak++;
                log.info("healthy (" + streak + "/" + needed + ")");
                if (streak >= needed) {
                    return null;
                }
            } else {
                streak = 0;
                last = problem;
                log.info("not healthy: " + problem);
            }
            if (Instant.now().plus(interval).isAfter(deadline)) {
                return (streak > 0 ? "only " + streak + " of " + needed + " checks in a row passed" : last) + ", after "
                        + timeout.toSeconds() + " s";
            }
            HostDeploy.sleep(interval);
        }
    }

    private String checkOnce(List<String> ids) {
        if (ids.isEmpty()) {
            return "no container runs";
        }
        if (health == null) {
            return stateProblem(shell.run(HealthCommands.containerStates(ids), OutputListener.SILENT).stdout(), true);
        }
        RemoteCommand both = HealthCommands.statesThenProbe(ids, health);
        CommandResult result = shell.execute(both, OutputListener.SILENT);
        if (result.exitStatus() == HealthCommands.STATES_FAILED) {
            throw RemoteShell.failure(HealthCommands.containerStates(ids), result);
        }
        String[] parts = result.stdout().split(Pattern.quote(HealthCommands.PROBE_FOLLOWS + "\n"), 2);
        if (parts.length < 2) {
            throw RemoteShell.failure(both, result);
        }
        String problem = stateProblem(parts[0], false);
        return problem != null ? problem : probeProblem(new CommandResult(result.exitStatus(), parts[1], result.stderr()));
    }

    /**
     * What is wrong in {@link HealthCommands#containerStates} output, or null; a health check still starting is a
     * problem only when {@code startingCounts} (without a health-url, the containers' state is all there is).
     */
    private static String stateProblem(String states, boolean startingCounts) {
        boolean starting = false;
        for (String line : states.strip().lines().toList()) {
            String[] fields = line.trim().split(" ");
            if (fields.length >= 3 && !fields[1].equals("running")) {
                return "container " + fields[0].replaceFirst("^/", "") + " is " + fields[1];
            }
            if (fields.length >= 3 && fields[2].equals("unhealthy")) {
                return "container " + fields[0].replaceFirst("^/", "") + " reports unhealthy";
            }
            starting |= fields.length >= 3 && fields[2].equals("starting");
        }
        return starting && startingCounts ? "container health check still starting" : null;
    }

    /** Null when health-url answers as expected; else what was wrong. */
    private String probe() {
        return probeProblem(shell.execute(HealthCommands.probe(health), OutputListener.SILENT));
    }

    private String probeProblem(CommandResult probe) {
        if (!probe.succeeded()) {
            return health.url() + ": " + RemoteShell.lastLines(probe.stderr(), 1);
        }
        String output = probe.stdout();
        int newline = output.stripTrailing().lastIndexOf('\n');
        String status = output.stripTrailing().substring(newline + 1).strip();
        String body = newline < 0 ? "" : output.substring(0, newline);
        if (!status.matches("\\d{3}") || !health.accepts(Integer.parseInt(status))) {
            return health.url() + " answered " + status + ", expected " + health.expected();
        }
        if (!health.body().isEmpty() && !body.contains(health.body())) {
            return health.url() + " answered without '" + health.body() + "' in its body";
        }
        return null;
    }
}
