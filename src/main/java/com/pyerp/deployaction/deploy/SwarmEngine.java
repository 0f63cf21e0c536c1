package com.pyerp.deployaction.deploy;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.DotEnv;
import com.pyerp.deployaction.action.Markdown;
import com.pyerp.deployaction.config.DeployTarget;
import com.pyerp.deployaction.ssh.CommandResult;
import com.pyerp.deployaction.ssh.OutputListener;
import com.pyerp.deployaction.ssh.RemoteCommand;
import com.pyerp.deployaction.ssh.RemoteCommandException;
import com.pyerp.deployaction.ssh.RemoteShell;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The release as a Docker Swarm stack, through one manager: the migration in a one-off container there, then
 * {@code docker stack deploy} by digest, then the wait until Swarm has rolled every service out, then health-url.
 * Swarm rolls a failing update back itself (the action supplies {@code failure_action: rollback} where the compose
 * file sets no {@code update_config}); after a failed health-url the action runs {@code docker service rollback}.
 */
final class SwarmEngine implements DeployEngine {

    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    private static final Duration CONVERGENCE_WITHOUT_HEALTH = Duration.ofMinutes(2);

    /** The server before the lock is taken, for the preflight. */
    private final RemoteShell server;
    private final RemoteShell shell;
    private final DeployTarget target;
    private final ComposeFile composeFile;
    private final HostDeploy.Release release;
    private final HostLog log;
    private final HealthWait health;
    private final String stack;
    private StackFile stackFile;
    /** .env's variables and APP_IMAGE, which the stack and the migration get, as Compose gives them to its project. */
    private Map<String, String> variables = Map.of();
    private SwarmStatus last = new SwarmStatus(List.of());

    /** {@code stackFile}: the uploaded compose file as the plan read it; null when the kept one in app-dir is used. */
    SwarmEngine(RemoteShell server, RemoteShell shell, DeployTarget target, ComposeFile composeFile, StackFile stackFile,
            HostDeploy.Release release, HostLog log) {
        this.server = server;
        this.shell = shell;
        this.target = target;
        this.composeFile = composeFile;
        this.stackFile = stackFile;
        this.release = release;
        this.log = log;
        this.health = target.health() == null ? null : HealthWait.urlOnly(shell, target.health(), log);
        this.stack = target.swarm().stack();
    }

    @Override
    public List<String> programsToCheck() {
        return List.of();
    }

    @Override
    public void requirePrograms(List<String> missing) {
    }

    @Override
    public void requireReady() {
        CommandResult state = server.execute(SwarmCommands.nodeState(), OutputListener.SILENT);
        String[] fields = state.stdout().strip().split(" ");
        if (!state.succeeded() || fields.length < 2 || !fields[0].equals("active") || !fields[1].equals("true")) {
            String what = !state.succeeded() ? "docker info failed: " + RemoteShell.lastLines(state.stderr(), 1)
                    : fields[0].equals("active") ? "it is a swarm worker, not a manager"
                    : "its docker engine is not in a swarm (Swarm: " + fields[0] + ")";
            throw new ActionException("Server not ready", log.host() + ": engine: swarm deploys through a swarm manager,"
                    + " and " + what + ". List a manager in hosts, make this one a manager (docker swarm init, or run the"
                    + " action with command: setup-server and swarm: init), or set engine: compose.");
        }
        log.info("swarm manager, stack " + stack);
    }

    /**
     * Takes compose.yaml as the plan read it and .env as uploaded, or reads them from app-dir when this run uploaded
     * none (a rollback, the server's own .env).
     */
    @Override
    public void validate(String image) {
        if (stackFile == null) {
            stackFile = StackFile.parse(readFromAppDir("cat " + DeployCommands.COMPOSE_NAME), DeployCommands.COMPOSE_NAME);
        }
        String env = release.envFile() != null ? new String(release.envFile(), StandardCharsets.UTF_8)
                : readFromAppDir("[ ! -f .env ] || cat .env");
        Map<String, String> values = new LinkedHashMap<>();
        try {
            DotEnv.parse(env, ".env").asMap().forEach((name, value) -> {
                if (name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    values.put(name, value);
                } else {
                    log.info(".env's " + name + " is not a shell variable name, so the stack does not get it");
                }
            });
        } catch (IllegalArgumentException e) {
            throw new ActionException("Invalid .env", log.host() + ": " + e.getMessage());
        }
        values.put("APP_IMAGE", image);
        variables = Map.copyOf(values);
        log.info("the stack gets " + (values.size() - 1) + " variables from .env, and APP_IMAGE");
    }

    private String readFromAppDir(String script) {
        return shell.run(RemoteCommand.of("sh", "-c", script).in(target.appDir()).withTimeout(DeployCommands.SHORT),
                OutputListener.SILENT).stdout();
    }

    @Override
    public void pull() {
        ServerImages.pull(shell, log, target.appDir(), release.image(), release.registryLogin());
    }

    @Override
    public String runningImage() {
        CommandResult image = shell.execute(SwarmCommands.serviceImage(service(appServices().get(0))), OutputListener.SILENT);
        return image.succeeded() ? image.stdout().strip() : "";
    }

    @Override
    public void migrate() {
        String migrateService = target.migrateService().isEmpty() ? composeFile.appServices().get(0) : target.migrateService();
        log.info("a one-off container of " + release.image() + " (service " + migrateService + ") on the manager");
        log.info("$ docker run --rm --network host --entrypoint " + target.migrateCommand().get(0) + " -e ... "
                + release.image() + " " + String.join(" ", target.migrateCommand().subList(1, target.migrateCommand().size()))
                + " (.env's variables on stdin)");
        try {
            shell.run(SwarmCommands.migrate(target.appDir(), release.image(), target.migrateCommand(), variables,
                    target.migrateTimeout()), log.output());
        } catch (RemoteCommandException e) {
            throw new ActionException("Migration failed", log.host() + ": " + named(e, "the migration '"
                    + String.join(" ", target.migrateCommand()) + "'") + " Nothing was updated: the stack runs the old"
                    + " release, with its compose.yaml and .env put back.");
        }
    }

    @Override
    public void start(String image) {
        String defaults = stackFile.defaults(target.health() == null ? PROGRESS_EVERY : target.health().interval());
        if (!defaults.isEmpty()) {
            shell.upload(defaults.getBytes(StandardCharsets.UTF_8), target.appDir() + "/" + SwarmCommands.DEFAULTS_FILE,
                    0644);
            log.info("rollout defaults for " + String.join(", ", stackFile.withoutUpdateConfig())
                    + ", which set no update_config: " + SwarmCommands.DEFAULTS_FILE);
        }
        String registry = ImageReference.parse(image).registry();
        log.info("$ docker stack deploy --with-registry-auth --prune --resolve-image always -c compose.yaml"
                + (defaults.isEmpty() ? "" : " -c " + SwarmCommands.DEFAULTS_FILE) + " " + stack + " (APP_IMAGE=" + image
                + ", .env's variables and the registry login on stdin)");
        try {
            shell.run(SwarmCommands.deploy(target.appDir(), stack, !defaults.isEmpty(), variables, release.registryLogin(),
                    registry, DeployCommands.PULL), log.output());
        } catch (RemoteCommandException e) {
            throw new ActionException(e.title(), log.host() + ": " + named(e, "docker stack deploy"));
        }
    }

    /** The failure's message with {@code what} in place of the wrapper script that carries the stdin variables. */
    private static String named(RemoteCommandException e, String what) {
        return e.getMessage().replace("'" + e.command().display() + "'", what);
    }

    /** After a failed health-url Swarm did not see: each app service goes back to its previous spec. */
    @Override
    public void restore(String previousImage) {
        for (String service : appServices()) {
            String name = service(service);
            SwarmStatus.Service state = last.services().stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
            if (state != null && state.updateState().startsWith("rollback")) {
                log.info(name + ": Swarm rolled it back already");
            } else {
                log.run(shell, SwarmCommands.rollback(name));
            }
        }
    }

    @Override
    public String waitHealthy(String image, Duration atLeast) {
        Duration timeout = target.health() == null ? CONVERGENCE_WITHOUT_HEALTH : target.health().timeout();
        String problem = converge(image, timeout.compareTo(atLeast) < 0 ? atLeast : timeout);
        if (problem != null || health == null) {
            return problem;
        }
        return health.waitHealthy(image, atLeast);
    }

    /** Polls the stack until every service has rolled out {@code image}; null then, else what went wrong. */
    private String converge(String image, Duration timeout) {
        List<String> apps = appServices().stream().map(this::service).toList();
        Instant deadline = Instant.now().plus(timeout);
        Instant lastLine = Instant.MIN;
        String lastProgress = "";
        while (true) {
            last = SwarmStatus.parse(shell.run(SwarmCommands.status(stack), OutputListener.SILENT).stdout());
            SwarmStatus.Verdict verdict = last.verdict(apps, image);
            String progress = last.progress();
            if (!progress.equals(lastProgress) || Instant.now().isAfter(lastLine.plus(PROGRESS_EVERY))
                    || verdict.progress() != SwarmStatus.Progress.ROLLING) {
                log.info(progress);
                lastProgress = progress;
                lastLine = Instant.now();
            }
            switch (verdict.progress()) {
                case CONVERGED:
                    return null;
                case FAILED:
                    return verdict.problem();
                default:
                    break;
            }
            if (Instant.now().plus(POLL).isAfter(deadline)) {
                return "the stack did not converge within " + timeout.toSeconds() + " s (" + progress + ")";
            }
            HostDeploy.sleep(POLL);
        }
    }

    @Override
    public String lastLogLines() {
        List<String> lines = new ArrayList<>();
        for (String service : appServices()) {
            for (RemoteCommand command : List.of(SwarmCommands.taskErrors(service(service)),
                    SwarmCommands.logs(service(service), 10))) {
                CommandResult result = shell.execute(command, OutputListener.SILENT);
                result.stdout().lines().limit(10).forEach(lines::add);
            }
        }
        lines.forEach(log::remote);
        return RemoteShell.lastLines(String.join("\n", lines), 10);
    }

    @Override
    public String report() {
        List<List<String>> rows = new ArrayList<>();
        for (SwarmStatus.Service service : last.services()) {
            List<String> nodes = service.tasks().stream().filter(SwarmStatus.Task::running).map(SwarmStatus.Task::node)
                    .distinct().toList();
            rows.add(List.of(service.name(), service.running() + "/" + service.desired(), "`" + service.image() + "`",
                    nodes.isEmpty() ? "-" : String.join(", ", nodes)));
        }
        return rows.isEmpty() ? "" : "Stack `" + stack + "`:\n\n"
                + Markdown.table(List.of("Service", "Running/desired", "Image", "Nodes"), rows);
    }

    @Override
    public void prune(String previousImage) {
        ServerImages.prune(shell, log, release.image(), previousImage, target.keepImages());
    }

    private List<String> appServices() {
        return composeFile.appServices();
    }

    private String service(String composeService) {
        return stack + "_" + composeService;
    }
}
