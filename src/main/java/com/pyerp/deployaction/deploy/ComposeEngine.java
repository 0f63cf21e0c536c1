package com.pyerp.deployaction.deploy;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.config.DeployTarget;
import com.pyerp.deployaction.ssh.CommandResult;
import com.pyerp.deployaction.ssh.OutputListener;
import com.pyerp.deployaction.ssh.RemoteCommandException;
import com.pyerp.deployaction.ssh.RemoteShell;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The release as Docker Compose runs it over SSH: {@code docker compose} (v2) or {@code docker-compose} (v1) in
 * app-dir, the image pulled by digest, the migration in a one-off container, and {@code up -d} for the switch.
 */
final class ComposeEngine implements DeployEngine {

    /** The server before the lock is taken, for the probes of the preflight. */
    private final RemoteShell server;
    /** The server under the lock, for everything else. */
    private final RemoteShell shell;
    private final DeployTarget target;
    private final ComposeFile composeFile;
    private final HostDeploy.Release release;
    private final HostLog log;
    private final HealthWait health;
    /** Set for Compose's interpolation in every command, besides APP_IMAGE. */
    private final Map<String, String> variables;
    private CommandResult v2;
    private Compose compose;

    ComposeEngine(RemoteShell server, RemoteShell shell, DeployTarget target, ComposeFile composeFile,
            HostDeploy.Release release, HostLog log) {
        this(server, shell, target, composeFile, release, log, Map.of());
    }

    ComposeEngine(RemoteShell server, RemoteShell shell, DeployTarget target, ComposeFile composeFile,
            HostDeploy.Release release, HostLog log, Map<String, String> variables) {
        this.server = server;
        this.shell = shell;
        this.target = target;
        this.composeFile = composeFile;
        this.release = release;
        this.log = log;
        this.health = HealthWait.ofContainers(shell, target.health(), log, this::containerIds);
        this.variables = Map.copyOf(variables);
    }

    /** App-dir's own Compose project, once the preflight has chosen the Compose program. */
    Compose compose() {
        return compose;
    }

    @Override
    public List<String> programsToCheck() {
        v2 = server.execute(Compose.version(Compose.V2), OutputListener.SILENT);
        return v2.succeeded() ? List.of() : List.of("docker-compose");
    }

    @Override
    public void requirePrograms(List<String> missing) {
        if (v2.succeeded()) {
            compose = new Compose(Compose.V2, target.appDir(), target.project(), variables);
            log.info("docker compose: " + v2.stdout().lines().findFirst().orElse("").strip());
        } else if (!missing.contains("docker-compose")) {
            compose = new Compose(Compose.V1, target.appDir(), target.project(), variables);
            log.info("docker-compose (1.x)");
        } else {
            throw new ActionException("Server not ready", log.host() + ": neither 'docker compose' nor 'docker-compose'"
                    + " works. Install the Compose plugin or docker-compose.");
        }
    }

    @Override
    public void validate(String image) {
        log.run(shell, compose.validate(image));
        log.info("compose config -q: valid");
    }

    @Override
    public void pull() {
        ServerImages.pull(shell, log, target.appDir(), release.image(), release.registryLogin());
    }

    @Override
    public String runningImage() {
        CommandResult recorded = shell.execute(ReleaseCommands.recordedImage(target.appDir()), OutputListener.SILENT);
        String running = recorded.succeeded() ? recorded.stdout().strip() : "";
        if (running.isEmpty()) {
            List<String> ids = containerIds(release.image());
            if (!ids.isEmpty()) {
                running = shell.run(ImageCommands.containerImages(ids.subList(0, 1)), OutputListener.SILENT).stdout().strip();
            }
        }
        return running;
    }

    static final String OLD_SERVES = "the old version is still serving, with its compose.yaml and .env put back.";

    @Override
    public void migrate() {
        migrate(OLD_SERVES);
    }

    /** {@code afterFailure} says what serves when it fails. */
    void migrate(String afterFailure) {
        String service = target.migrateService().isEmpty() ? composeFile.appServices().get(0) : target.migrateService();
        boolean aside = compose.program().equals(Compose.V1) && composeFile.hostNetworkServices().contains(service)
                && !containerIds(release.image(), List.of(service)).isEmpty();
        try {
            log.run(shell, compose.migrate(release.image(), service, target.migrateCommand(), target.migrateTimeout(),
                    aside));
        } catch (RemoteCommandException e) {
            throw new ActionException("Migration failed", log.host() + ": " + e.getMessage() + " Nothing was switched: "
                    + afterFailure);
        }
    }

    @Override
    public void start(String image) {
        log.run(shell, compose.up(image, target.services()));
    }

    @Override
    public String waitHealthy(String image, Duration atLeast) {
        return health.waitHealthy(image, atLeast);
    }

    @Override
    public String lastLogLines() {
        return lastLogLines(compose, services());
    }

    /** The last lines each of {@code services} logged in {@code project}, printed and returned. */
    String lastLogLines(Compose project, List<String> services) {
        List<String> lines = new ArrayList<>();
        for (String service : services) {
            try {
                CommandResult logs = shell.execute(project.logs(release.image(), service, 20), OutputListener.SILENT);
                logs.stdout().lines().forEach(lines::add);
            } catch (RemoteCommandException e) {
                // logs are a courtesy; the failure itself is reported
            }
        }
        lines.forEach(log::remote);
        return RemoteShell.lastLines(String.join("\n", lines), 10);
    }

    @Override
    public void prune(String previousImage) {
        ServerImages.prune(shell, log, release.image(), previousImage, target.keepImages());
    }

    private List<String> services() {
        return target.services().isEmpty() ? composeFile.appServices() : target.services();
    }

    private List<String> containerIds(String image) {
        return containerIds(image, services());
    }

    /**
     * From docker's labels when they answer; else from Compose, which also knows its containers when app-dir is
     * reached through a symlink (docker-compose 1.x labels them with the resolved directory).
     */
    private List<String> containerIds(String image, List<String> services) {
        List<String> fromLabels = Compose.containersOf(shell.run(Compose.containers(target.appDir()),
                OutputListener.SILENT).stdout(), services);
        if (fromLabels != null && !fromLabels.isEmpty()) {
            return fromLabels;
        }
        return shell.run(compose.containerIds(image, services), OutputListener.SILENT).stdout().strip().lines()
                .map(String::strip).filter(line -> !line.isEmpty()).toList();
    }
}
