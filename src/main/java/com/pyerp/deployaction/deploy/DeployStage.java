package com.pyerp.deployaction.deploy;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.EnvValues;
import com.pyerp.deployaction.action.GitHubContext;
import com.pyerp.deployaction.action.Markdown;
import com.pyerp.deployaction.action.Output;
import com.pyerp.deployaction.action.Workflow;
import com.pyerp.deployaction.config.DeploySettings;
import com.pyerp.deployaction.config.DeployTarget;
import com.pyerp.deployaction.config.DeployTargets;
import com.pyerp.deployaction.registry.Credential;
import com.pyerp.deployaction.ssh.SshConnection;
import com.pyerp.deployaction.ssh.SshConnector;
import com.pyerp.deployaction.ssh.SshEndpoint;
import com.pyerp.deployaction.ssh.SshOptions;
import com.pyerp.deployaction.ssh.CommandResult;
import com.pyerp.deployaction.ssh.OutputListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The deploy stage: where this run deploys ({@link DeployTargets}), everything checked before connecting, then
 * per host: preflight, lock, upload, registry login, pull, record; the migration once (first host); switch and
 * health in batches ({@code strategy}); rollback of every switched host when any fails; release log and prune;
 * the lock released in every case. Outputs, summary table and the GitHub deployment record come last.
 */
public final class DeployStage {

    /**
     * Everything checked before any connection; {@code target} null means no deploy. {@code stack} is the compose file
     * read for {@code engine: swarm}, null for another engine or a rollback's kept file.
     */
    public record Plan(DeployTargets.Decision decision, ComposeFile compose, StackFile stack, byte[] composeBytes,
            byte[] envBytes, SshConnector connector, DeploySettings settings) {

        public DeployTarget target() {
            return decision.target();
        }
    }

    private final Workflow workflow;

    public DeployStage(Workflow workflow) {
        this.workflow = workflow;
    }

    /** Where this ref deploys, and everything about it checked: the files read, the SSH login ready. */
    public Plan plan(DeploySettings settings, GitHubContext context) {
        DeployTargets.Decision decision = settings.targets().decide(context);
        DeployTarget target = decision.target();
        if (target == null) {
            return new Plan(decision, null, null, null, null, null, settings);
        }
        byte[] composeBytes = read(target.composeFile(), "compose-file");
        ComposeFile compose = ComposeFile.parse(new String(composeBytes, StandardCharsets.UTF_8),
                target.composeFile().getFileName().toString());
        checkCompose(compose, target.composeFile().getFileName().toString(), target);
        StackFile stack = target.swarm() == null ? null : StackFile.parse(new String(composeBytes, StandardCharsets.UTF_8),
                target.composeFile().getFileName().toString());
        byte[] envBytes = target.envFile() == null ? null : read(target.envFile(), "env-file");
        if (envBytes != null) {
            maskValues(new String(envBytes, StandardCharsets.UTF_8));
        }
        List<SshEndpoint> hosts = target.hosts();
        SshConnector connector = settings.ssh().connector(hosts, target.jumpHost(), SshOptions.DEFAULTS);
        return new Plan(decision, compose, stack, composeBytes, envBytes, connector, settings);
    }

    /**
     * Deploys {@code image} ({@code name@sha256:…}, pushed by this run). Throws when the deploy failed; the
     * outputs and the summary are written either way.
     */
    public void run(Plan plan, String image, GitHubContext context) {
        deploy(plan, image, context, false);
    }

    /**
     * {@code command: rollback}: the environment goes back to previous-image, else to the release before the one the
     * first host runs, by its release log; with the files the servers kept for that release, no build and no
     * migration, through the same lock, health check and switch as a deploy.
     */
    public void rollback(Plan plan, GitHubContext context) {
        DeployTarget target = plan.target();
        if (target == null) {
            throw new ActionException("Invalid input: environment", "command: rollback has no environment to roll back: "
                    + plan.decision().reason() + ". Set 'environment' to the one to roll back.");
        }
        SshEndpoint first = target.hosts().get(0);
        HostLog log = new HostLog(workflow, first.toString(), true);
        RollbackTarget kept = log.step("Release files", () -> {
            try (SshConnection connection = plan.connector().connect(first,
                    warning -> log.warning("SSH connection retried", warning), notice -> { })) {
                String image = plan.settings().previousImage().isEmpty() ? ReleaseLog.rollbackTarget(connection.run(
                        ReleaseCommands.releaseHistory(target.appDir()), OutputListener.SILENT).stdout(), first.toString())
                        : plan.settings().previousImage();
                log.info("rolling back to " + image);
                CommandResult file = connection.execute(ReleaseCommands.releaseComposeFile(target.appDir(), image),
                        OutputListener.SILENT);
                if (!file.succeeded()) {
                    throw new ActionException("Nothing to roll back", first + ": app-dir has no "
                            + ReleaseCommands.releaseFiles(image) + "/compose.yaml: " + image + " was not deployed here by a"
                            + " version of the action that keeps its files. Deploy that commit again instead.");
                }
                String name = ReleaseCommands.releaseFiles(image) + "/compose.yaml";
                ComposeFile compose = ComposeFile.parse(file.stdout(), name);
                checkCompose(compose, name, target);
                return new RollbackTarget(new Plan(plan.decision(), compose, null, null, null, plan.connector(),
                        plan.settings()), image);
            }
        });
        deploy(kept.plan(), kept.image(), context, true);
    }

    /** A rollback's image, and the plan with the compose file kept for it. */
    private record RollbackTarget(Plan plan, String image) {}

    private void deploy(Plan plan, String image, GitHubContext context, boolean rollback) {
        DeployTarget target = plan.target();
        // The server pulls with the build's login, else with its own (such as the read-only one setup-server stores).
        Credential registryLogin = plan.settings().registry().login(ImageReference.parse(image).registry(), context.actor())
                .orElse(null);
        GitHubDeployments deployments = GitHubDeployments.of(workflow, context, plan.settings().githubToken());
        workflow.setOutput(Output.ENVIRONMENT, target.environment());
        workflow.setOutput(Output.URL, target.url());
        GitHubDeployments.Deployment deployment = deployments.start(target, image, context);
        if (deployment != null) {
            workflow.setOutput(Output.DEPLOYMENT_ID, Long.toString(deployment.id()));
        }
        HostDeploy.Release release = new HostDeploy.Release(image, holder(context), context.sha(), context.runUrl(),
                plan.composeBytes(), plan.envBytes(), registryLogin, rollback);
        boolean live = target.hosts().size() == 1;
        Map<SshEndpoint, SshConnection> connections = Collections.synchronizedMap(new LinkedHashMap<>());
        List<HostDeploy> hosts = new ArrayList<>();
        long started = System.nanoTime();
        RuntimeException[] failed = new RuntimeException[1];
        ExecutorService pool = Executors.newFixedThreadPool(target.hosts().size());
        try {
            if (target.swarm() == null) {
                forEach(pool, target.hosts(), endpoint -> connections.put(endpoint, connect(plan, endpoint, live)));
            } else {
                connectToFirstManager(plan, connections);
            }
            for (SshEndpoint endpoint : inConfiguredOrder(target.hosts(), connections.keySet())) {
                hosts.add(new HostDeploy(connections.get(endpoint), target, plan.compose(), plan.stack(), release,
                        new HostLog(workflow, endpoint.toString(), live)));
            }
            forEach(pool, hosts, host -> {
                host.preflight();
                host.lock();
                host.upload();
                host.pull();
                host.recordPrevious();
            });
            boolean pause = !target.migrateCommand().isEmpty() && !rollback && target.proxy() != null
                    && !target.proxy().migratePause().isZero();
            if (!target.migrateCommand().isEmpty() && !rollback) {
                if (pause) {
                    forEach(pool, hosts, HostDeploy::hold);
                }
                hosts.get(0).migrate();
            }
            // Held requests wait on every host at once: no host may wait for another's turn.
            int batch = pause ? hosts.size() : target.batchSize();
            for (int from = 0; from < hosts.size(); from += batch) {
                forEach(pool, hosts.subList(from, Math.min(hosts.size(), from + batch)), HostDeploy::switchAndVerify);
            }
            forEach(pool, hosts, HostDeploy::finish);
        } catch (RuntimeException e) {
            failed[0] = e;
            rollBackOthers(pool, hosts, e);
        } finally {
            forEachQuietly(pool, hosts, host -> {
                if (failed[0] != null) {
                    host.restoreAfterFailure();
                }
                host.releaseLock();
            });
            connections.values().forEach(SshConnection::close);
            pool.shutdownNow();
        }
        RuntimeException failure = failed[0];
        boolean deployed = failure == null;
        String previous = hosts.isEmpty() ? "" : hosts.get(0).previousImage();
        workflow.setOutput(Output.DEPLOYED, Boolean.toString(deployed));
        workflow.setOutput(Output.PREVIOUS_IMAGE, previous);
        summary(target, image, hosts, failure, Duration.ofNanos(System.nanoTime() - started), rollback);
        deployments.finish(deployment, target, deployed, context,
                failure == null ? "Deployed " + image : publicDescription(failure));
        if (failure != null) {
            throw failure;
        }
    }

    private SshConnection connect(Plan plan, SshEndpoint endpoint, boolean live) {
        HostLog log = new HostLog(workflow, endpoint.toString(), live);
        return log.step("Connect", () -> plan.connector().connect(endpoint,
                warning -> log.warning("SSH connection retried", warning),
                notice -> log.notice("Upload without SFTP", notice)));
    }

    /**
     * The connected hosts in deploy-config's order, not in the order their parallel connections completed: rolling
     * batches, the migration's host and previous-image follow it.
     */
    static List<SshEndpoint> inConfiguredOrder(List<SshEndpoint> configured, Collection<SshEndpoint> connected) {
        return configured.stream().filter(connected::contains).toList();
    }

    /** engine: swarm: the deploy goes through the first manager that answers; the others are fallbacks. */
    private void connectToFirstManager(Plan plan, Map<SshEndpoint, SshConnection> connections) {
        List<SshEndpoint> managers = plan.target().hosts();
        for (int i = 0; i < managers.size(); i++) {
            try {
                connections.put(managers.get(i), connect(plan, managers.get(i), true));
                return;
            } catch (ActionException e) {
                if (i == managers.size() - 1) {
                    throw e;
                }
                workflow.warning("Swarm manager unreachable", managers.get(i) + " does not answer (" + e.getMessage()
                        + "); trying the next manager, " + managers.get(i + 1) + ".");
            }
        }
    }

    /** A host failed: every other host that already switched goes back to its previous version. */
    private void rollBackOthers(ExecutorService pool, List<HostDeploy> hosts, RuntimeException cause) {
        forEachQuietly(pool, hosts.stream().filter(host -> host.switched() && !host.outcome().settled()).toList(),
                host -> host.rollbackAfter("the deploy failed on another host: " + cause.getMessage()));
    }

    private void summary(DeployTarget target, String image, List<HostDeploy> hosts, RuntimeException failure, Duration took,
            boolean rollback) {
        List<List<String>> rows = new ArrayList<>();
        for (SshEndpoint endpoint : target.hosts()) {
            HostDeploy host = hosts.stream().filter(h -> h.host().equals(endpoint.toString())).findFirst().orElse(null);
            rows.add(List.of(endpoint.toString(), host == null ? "not reached" : host.outcome().toString(),
                    host == null ? "unchanged" : host.serving(), host == null || host.previousImage().isEmpty() ? "-"
                            : host.previousImage()));
        }
        workflow.summary(Markdown.heading((rollback ? "Rollback of " : "Deploy to ") + target.environment())
                + (failure == null ? "Deployed `" + image + "` in " + took.toSeconds() + " s." : "Failed: " + failure.getMessage())
                + "\n\n" + Markdown.table(List.of("Host", "Result", "Serving now", "Previous image"), rows)
                + hosts.stream().map(HostDeploy::report).filter(report -> !report.isEmpty()).map(report -> "\n" + report)
                        .collect(Collectors.joining()));
    }

    private static String holder(GitHubContext context) {
        String who = context.actor().isEmpty() ? "someone" : context.actor();
        return who + " " + (context.runUrl().isEmpty() ? "(local run)" : context.runUrl()) + " sha " + context.shortSha();
    }

    private byte[] read(Path file, String input) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ActionException("Invalid input: " + input, "Cannot read " + file + ": " + e.getMessage() + ".");
        }
    }

    /** What the environment's settings need of the compose file {@code file}, checked before anything runs. */
    private static void checkCompose(ComposeFile compose, String file, DeployTarget target) {
        compose.requireServices(target.services(), "services");
        if (!target.migrateCommand().isEmpty() && !target.migrateService().isEmpty()) {
            compose.requireServices(List.of(target.migrateService()), "migrate-service");
        }
        if (target.proxy() == null) {
            return;
        }
        List<String> web = ProxyEngine.webServices(compose, target.services());
        if (web.isEmpty()) {
            throw new ActionException("Invalid input: compose-file", file + " has no "
                    + (target.services().isEmpty() ? "" : "chosen ") + "service that listens on ${APP_PORT}, and "
                    + target.environment() + " has switch: proxy. The action starts each release's web services on"
                    + " their slot's port and sets APP_PORT to it: write, for example, 'command: gunicorn -b"
                    + " 127.0.0.1:${APP_PORT} pyerp.wsgi' or 'ports: [\"127.0.0.1:${APP_PORT}:8000\"]' for the web"
                    + " service.");
        }
        List<String> named = web.stream().filter(compose.namedContainers()::contains).toList();
        if (!named.isEmpty()) {
            throw new ActionException("Invalid input: compose-file", file + " gives the web service " + named.get(0)
                    + " a container_name, and " + target.environment() + " has switch: proxy, which runs it in two"
                    + " slots at once: one name cannot serve both. Remove container_name from it.");
        }
        requireAssetMount(compose, file, target);
    }

    /** asset-path and a web service that mounts ${APP_ASSETS} go together: either alone would serve no files. */
    private static void requireAssetMount(ComposeFile compose, String file, DeployTarget target) {
        boolean mounted = ProxyEngine.webServices(compose, target.services()).stream()
                .anyMatch(compose.assetServices()::contains);
        if (!target.proxy().assetPath().isEmpty() && !mounted) {
            throw new ActionException("Invalid input: compose-file", file + " has no web service that mounts"
                    + " ${APP_ASSETS}, and " + target.environment() + " has asset-path " + target.proxy().assetPath()
                    + ". Mount the release's bridged files there, for example 'volumes: [\"${APP_ASSETS}:"
                    + target.proxy().assetPath() + ":ro\"]', or remove asset-path.");
        }
        if (target.proxy().assetPath().isEmpty() && !compose.assetServices().isEmpty()) {
            throw new ActionException("Invalid input: compose-file", file + " mounts ${APP_ASSETS} in "
                    + String.join(", ", compose.assetServices()) + ", but " + target.environment() + " has no"
                    + " asset-path. Set asset-path to the static files' directory in the image, such as"
                    + " /app/staticfiles.");
        }
    }

    /**
     * What a failed deployment says on GitHub, where anyone who can see the repository reads it, unmasked: the kind of
     * failure, never the message, which may quote server output.
     */
    static String publicDescription(RuntimeException failure) {
        return (failure instanceof ActionException known ? "Deploy failed: " + known.title() + "." : "Deploy failed.")
                + " The workflow run's log says why.";
    }

    /** Every value of the env file that could be a secret is masked before anything is printed. */
    private void maskValues(String envFile) {
        EnvValues.toMask(envFile).forEach(workflow::mask);
    }

    /** Runs {@code action} for each item on the pool and waits for all; the first failure is rethrown. */
    private static <T> void forEach(ExecutorService pool, List<T> items, Consumer<T> action) {
        List<Future<?>> futures = new ArrayList<>();
        for (T item : items) {
            futures.add(pool.submit(() -> action.accept(item)));
        }
        RuntimeException first = null;
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ActionException("Deploy interrupted", "The deploy was interrupted.");
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static <T> void forEachQuietly(ExecutorService pool, List<T> items, Consumer<T> action) {
        try {
            forEach(pool, items, action);
        } catch (RuntimeException ignored) {
            // cleanup: each host logs its own problem
        }
    }
}
