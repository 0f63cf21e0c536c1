package com.pyerp.deployaction.deploy;

import static com.pyerp.deployaction.deploy.DeployCommands.COMPOSE_NAME;
import static com.pyerp.deployaction.deploy.DeployCommands.SHORT;

import com.pyerp.deployaction.ssh.RemoteCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code docker compose} (v2) or {@code docker-compose} (v1) run in {@code app-dir}. No service name can be read as an
 * option: they follow a {@code --} for v2, and none starts with {@code -} ({@link ComposeFile}). With an empty
 * {@code project}, Compose names the project itself (COMPOSE_PROJECT_NAME, else the directory's name), as it
 * does when someone runs it by hand in app-dir.
 */
record Compose(List<String> program, String appDir, String project, Map<String, String> variables) {

    static final List<String> V2 = List.of("docker", "compose");
    static final List<String> V1 = List.of("docker-compose");

    Compose {
        variables = Map.copyOf(variables);
    }

    Compose(List<String> program, String appDir, String project) {
        this(program, appDir, project, Map.of());
    }

    /** The same files as another project, such as a slot, with {@code variables} set for Compose's interpolation. */
    Compose as(String otherProject, Map<String, String> otherVariables) {
        return new Compose(program, appDir, otherProject, otherVariables);
    }

    /** The project name as Compose derives it when {@code project} is empty: app-dir's last part, normalised. */
    String name() {
        String name = project.isEmpty() ? appDir.substring(appDir.lastIndexOf('/') + 1) : project;
        return name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_-]", "");
    }

    RemoteCommand command(String image, Duration timeout, List<String> arguments) {
        List<String> argv = new ArrayList<>(program);
        if (!project.isEmpty()) {
            argv.addAll(List.of("-p", project));
        }
        argv.addAll(List.of("-f", COMPOSE_NAME));
        argv.addAll(arguments);
        RemoteCommand command = RemoteCommand.of(argv).in(appDir).withEnv("APP_IMAGE", image).withTimeout(timeout);
        for (Map.Entry<String, String> variable : new java.util.TreeMap<>(variables).entrySet()) {
            command = command.withEnv(variable.getKey(), variable.getValue());
        }
        return command;
    }

    RemoteCommand validate(String image) {
        return command(image, SHORT, List.of("config", "-q"));
    }

    /**
     * The migration: once, in a new container of {@code service}, the command's first word as entrypoint.
     * {@code aside}: run it as the project {@code PROJECT-migrate} without dependencies, because docker-compose
     * 1.x cannot {@code run} a host-network service while one of its containers runs ("host type networking
     * can't be used with links"); the dependencies are already up then.
     */
    RemoteCommand migrate(String image, String service, List<String> command, Duration timeout, boolean aside) {
        List<String> arguments = new ArrayList<>(List.of("run", "--rm", "-T"));
        if (aside) {
            arguments.add("--no-deps");
        }
        arguments.addAll(List.of("--entrypoint", command.get(0)));
        arguments.addAll(endOfOptions());
        arguments.add(service);
        arguments.addAll(command.subList(1, command.size()));
        Compose compose = aside ? as(name() + "-migrate", variables) : this;
        return compose.command(image, timeout, arguments);
    }

    /** Recreates the services whose configuration or image changed; never takes anything down first. */
    RemoteCommand up(String image, List<String> services) {
        List<String> arguments = new ArrayList<>(List.of("up", "-d", "--no-deps"));
        arguments.addAll(endOfOptions());
        arguments.addAll(services);
        return command(image, Duration.ofMinutes(10), arguments);
    }

    /** Stops the services' containers and keeps them; with no services, every container of the project. */
    RemoteCommand stop(String image, List<String> services) {
        List<String> arguments = new ArrayList<>(List.of("stop"));
        arguments.addAll(endOfOptions());
        arguments.addAll(services);
        return command(image, Duration.ofMinutes(2), arguments);
    }

    RemoteCommand containerIds(String image, List<String> services) {
        List<String> arguments = new ArrayList<>(List.of("ps", "-q"));
        arguments.addAll(endOfOptions());
        arguments.addAll(services);
        return command(image, SHORT, arguments);
    }

    RemoteCommand logs(String image, String service, int lines) {
        List<String> arguments = new ArrayList<>(List.of("logs", "--no-color", "--tail", Integer.toString(lines)));
        arguments.addAll(endOfOptions());
        arguments.add(service);
        return command(image, SHORT, arguments);
    }

    /**
     * {@code --} before service names for Compose v2; docker-compose 1.x before 1.29 takes {@code --} for a service
     * name, and there {@link ComposeFile} refusing names that start with {@code -} is what keeps them from options.
     */
    private List<String> endOfOptions() {
        return program.equals(V2) ? List.of("--") : List.of();
    }

    static RemoteCommand version(List<String> program) {
        List<String> argv = new ArrayList<>(program);
        argv.add("version");
        return RemoteCommand.of(argv).withTimeout(SHORT);
    }

    /**
     * The Compose containers of app-dir, from docker's labels (a fraction of the time {@code docker-compose ps}
     * takes): one line each with id, project and service.
     */
    static RemoteCommand containers(String appDir) {
        return RemoteCommand.of("docker", "ps", "-a", "--no-trunc", "--filter",
                "label=com.docker.compose.project.working_dir=" + appDir, "--filter", "label=com.docker.compose.oneoff=False",
                "--format", "{{.ID}} {{.Label \"com.docker.compose.project\"}} {{.Label \"com.docker.compose.service\"}}")
                .withTimeout(SHORT);
    }

    /**
     * Ids of the listed services' containers in {@link #containers} output, or null when containers of
     * several projects share app-dir (then only Compose itself knows which are ours).
     */
    static List<String> containersOf(String listing, List<String> services) {
        List<String[]> rows = listing.strip().lines().map(line -> line.trim().split(" ")).filter(row -> row.length == 3).toList();
        if (rows.stream().map(row -> row[1]).distinct().count() > 1) {
            return null;
        }
        return rows.stream().filter(row -> services.contains(row[2])).map(row -> row[0]).toList();
    }
}
