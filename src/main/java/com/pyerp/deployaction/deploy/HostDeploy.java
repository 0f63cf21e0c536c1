package com.pyerp.deployaction.deploy;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.registry.Credential;
import com.pyerp.deployaction.ssh.CommandResult;
import com.pyerp.deployaction.ssh.OutputListener;
import com.pyerp.deployaction.ssh.RemoteCommand;
import com.pyerp.deployaction.ssh.RemoteCommandException;
import com.pyerp.deployaction.ssh.RemoteShell;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The deploy on one server, step by step; {@link DeployStage} calls the steps in order across hosts. Every
 * command comes from {@link DeployCommands} and runs through the one {@link RemoteShell}.
 */
final class HostDeploy {

    /** What the release is and who runs it, for the lock and the release log. */
    record Release(String image, String holder, String sha, String runUrl, byte[] composeFile, byte[] envFile,
            Credential registryLogin) {}

    /** The old version was healthy minutes ago; give it this long to prove it again, even with a short health-timeout. */
    private static final Duration ROLLBACK_MINIMUM_WAIT = Duration.ofSeconds(30);

    /** The server before the lock is taken, and for the lock itself. */
    private final RemoteShell server;
    /** The server once the lock is taken: every command checks that this deploy still holds it. */
    private final LockedShell shell;
    private final DeployTarget target;
    private final ComposeFile composeFile;
    private final Release release;
    private final HostLog log;
    private final String lockToken = UUID.randomUUID().toString();
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "deploy-lock-heartbeat");
        thread.setDaemon(true);
        return thread;
    });

    private final HealthWait health;
    private Compose compose;
    private boolean locked;
    private boolean filesReplaced;
    private boolean uploaded;
    private boolean switched;
    private String previousImage = "";
    private HostOutcome outcome = HostOutcome.NOT_STARTED;

    HostDeploy(RemoteShell server, DeployTarget target, ComposeFile composeFile, Release release, HostLog log) {
        this.server = server;
        this.shell = new LockedShell(server, target.appDir(), lockToken, log.host());
        this.health = new HealthWait(shell, target.health(), log, this::containerIds);
        this.target = target;
        this.composeFile = composeFile;
        this.release = release;
        this.log = log;
    }

    String host() {
        return log.host();
    }

    String previousImage() {
        return previousImage;
    }

    HostOutcome outcome() {
        return shell.lost() ? HostOutcome.LOCK_LOST : outcome;
    }

    boolean switched() {
        return switched;
    }

    // --- 1. preflight ---------------------------------------------------------------------------------------

    void preflight() {
        outcome = HostOutcome.FAILED_PREFLIGHT;
        log.step("Preflight", () -> {
            CommandResult docker = server.execute(DeployCommands.dockerServerVersion(), OutputListener.SILENT);
            if (!docker.succeeded()) {
                String errors = docker.stderr() + docker.stdout();
                throw new ActionException("Server not ready", host() + ": " + (docker.exitStatus() == 127
                        ? "docker is not installed. Install it (apt-get install docker.io docker-compose) or run the"
                                + " action with command: setup-server."
                        : errors.contains("permission denied") ? "the SSH user cannot reach the docker socket. Add it to"
                                + " the docker group (sudo usermod -aG docker USER) or run command: setup-server."
                        : "docker does not answer: " + RemoteShell.lastLines(errors, 3)));
            }
            log.info("docker " + docker.stdout().strip());
            CommandResult v2 = server.execute(Compose.version(Compose.V2), OutputListener.SILENT);
            List<String> needed = new ArrayList<>();
            if (!v2.succeeded()) {
                needed.add("docker-compose");
            }
            needed.add("flock");
            if (target.health() != null) {
                needed.add("curl");
            }
            List<String> missing = server.run(DeployCommands.missingPrograms(needed), OutputListener.SILENT).stdout().lines()
                    .map(String::strip).toList();
            if (v2.succeeded()) {
                compose = new Compose(Compose.V2, target.appDir(), target.project());
                log.info("docker compose: " + v2.stdout().lines().findFirst().orElse("").strip());
            } else if (!missing.contains("docker-compose")) {
                compose = new Compose(Compose.V1, target.appDir(), target.project());
                log.info("docker-compose (1.x)");
            }
            if (compose == null) {
                throw new ActionException("Server not ready", host() + ": neither 'docker compose' nor 'docker-compose'"
                        + " works. Install the Compose plugin or docker-compose.");
            }
            if (missing.contains("flock")) {
                throw new ActionException("Server not ready", host() + ": 'flock' is not installed, and the deploy lock"
                        + " needs it. Install util-linux (apt-get install util-linux).");
            }
            if (missing.contains("curl")) {
                throw new ActionException("Server not ready", host() + ": the health check runs curl on the server, and"
                        + " curl is not installed. Install it (apt-get install curl).");
            }
            String root = server.run(DeployCommands.dockerRootDir(), OutputListener.SILENT).stdout().strip();
            requireFreeDisk(root, DeployCommands.freeDisk(root), "Free some space (docker image prune)");
            requireFreeDisk(target.appDir(), DeployCommands.freeDiskAt(target.appDir()), "Free some space there (on a full"
                    + " disk the backup of compose.yaml and .env fails)");
            RemoteCommand prepare = ReleaseCommands.prepareDirectories(target.appDir());
            log.info("$ " + prepare.display());
            server.run(prepare, log.output());
        });
    }

    private void requireFreeDisk(String path, RemoteCommand df, String advice) {
        long free = DeployCommands.availableMegabytes(server.run(df, OutputListener.SILENT).stdout());
        log.info("free disk in " + path + ": " + (free < 0 ? "unknown" : free + " MB"));
        if (free >= 0 && free < target.minFreeDiskMb()) {
            throw new ActionException("Server not ready", host() + ": only " + free + " MB are free in " + path
                    + ", less than min-free-disk-mb (" + target.minFreeDiskMb() + "). " + advice
                    + " or lower min-free-disk-mb.");
        }
    }

    // --- 2. lock ----------------------------------------------------------------------------------------------

    void lock() {
        outcome = HostOutcome.FAILED_LOCK;
        log.step("Lock", () -> {
            Instant deadline = Instant.now().plus(target.lockTimeout());
            boolean announced = false;
            while (true) {
                CommandResult result = server.execute(LockCommands.acquireLock(target.appDir(), lockToken,
                        release.holder(), target.lockTimeout().toSeconds()), OutputListener.SILENT);
                String answer = result.stdout().strip();
                if (result.succeeded() && answer.startsWith("acquired")) {
                    log.info("locked " + LockCommands.lockPath(target.appDir()));
                    break;
                }
                if (result.succeeded() && answer.startsWith("took-over")) {
                    String[] parts = answer.split(" ", 3);
                    log.warning("Stale deploy lock taken over", "the lock in " + target.appDir() + " was last refreshed "
                            + parts[1] + " s ago, longer than lock-timeout (" + target.lockTimeout().toSeconds()
                            + " s), by " + (parts.length > 2 ? parts[2] : "an unknown deploy") + "; that deploy is"
                            + " presumed dead and its lock was taken over.");
                    log.info("took over a stale lock");
                    break;
                }
                if (result.exitStatus() != 3) {
                    throw RemoteShell.failure(LockCommands.acquireLock(target.appDir(), lockToken, release.holder(),
                            target.lockTimeout().toSeconds()), result);
                }
                String[] parts = answer.split(" ", 3);
                String holder = parts.length > 2 ? parts[2] : "another deploy";
                if (Instant.now().isAfter(deadline)) {
                    throw new ActionException("Server locked", host() + ": another deploy holds the lock in "
                            + target.appDir() + ": " + holder + ". Waited " + target.lockTimeout().toSeconds()
                            + " s (lock-timeout) and it is still alive. Nothing was changed. Re-run when it is done; a"
                            + " lock whose deploy died expires lock-timeout after its last refresh.");
                }
                if (!announced) {
                    log.info("waiting for the lock held by " + holder);
                    announced = true;
                }
                sleep(Duration.ofSeconds(2));
            }
            locked = true;
            long period = Math.max(1, Math.min(30, target.lockTimeout().toSeconds() / 3));
            heartbeat.scheduleAtFixedRate(this::refreshLock, period, period, TimeUnit.SECONDS);
        });
    }

    /** A lock this deploy lost is not refreshed; its next command finds that out (see {@link LockedShell}). */
    private void refreshLock() {
        try {
            server.execute(LockCommands.refreshLock(target.appDir(), lockToken), OutputListener.SILENT);
        } catch (RuntimeException e) {
            // the connection is gone; the step that uses it next reports that
        }
    }

    // --- 3-6. upload, login, pull, record ---------------------------------------------------------------------

    void upload() {
        outcome = HostOutcome.FAILED_UPLOAD;
        log.step("Upload", () -> {
            shell.run(ReleaseCommands.keepPreviousFiles(target.appDir()), log.output());
            filesReplaced = true;
            uploaded = true;
            shell.upload(release.composeFile(), target.appDir() + "/" + DeployCommands.COMPOSE_NAME, 0644);
            log.info("compose.yaml: " + release.composeFile().length + " bytes (previous kept in .deploy/previous/)");
            if (release.envFile() != null) {
                shell.upload(release.envFile(), target.appDir() + "/" + DeployCommands.ENV_NAME, 0600);
                log.info(".env: " + release.envFile().length + " bytes, mode 0600");
            }
            run(compose.validate(release.image()));
            log.info("compose config -q: valid");
        });
    }

    /** With the release's credential, through a login that lasts only as long as the pull. */
    void pull() {
        outcome = HostOutcome.FAILED_PULL;
        Credential login = release.registryLogin();
        log.step("Pull", () -> {
            if (login == null) {
                run(ImageCommands.pull(release.image()));
                return;
            }
            String registry = ImageReference.parse(release.image()).registry();
            log.info("$ docker login --username " + login.username() + " --password-stdin " + registry
                    + " (a throwaway DOCKER_CONFIG, removed when the pull ends)");
            log.info("$ docker pull " + release.image());
            shell.run(ImageCommands.pullWithThrowawayLogin(target.appDir(), registry, login.username(), login.secret(),
                    release.image()), log.output());
        });
    }

    void recordPrevious() {
        outcome = HostOutcome.FAILED_RECORD;
        log.step("Record running version", () -> {
            CommandResult recorded = shell.execute(ReleaseCommands.recordedImage(target.appDir()), OutputListener.SILENT);
            previousImage = recorded.succeeded() ? recorded.stdout().strip() : "";
            if (previousImage.isEmpty()) {
                List<String> ids = containerIds(release.image());
                if (!ids.isEmpty()) {
                    previousImage = shell.run(ImageCommands.containerImages(ids.subList(0, 1)), OutputListener.SILENT)
                            .stdout().strip();
                }
            }
            log.info(previousImage.isEmpty() ? "nothing runs yet: first deploy, no rollback target"
                    : "running now (rollback target): " + previousImage);
        });
    }

    // --- 7. migrate -------------------------------------------------------------------------------------------

    void migrate() {
        outcome = HostOutcome.FAILED_MIGRATION;
        String service = target.migrateService().isEmpty() ? composeFile.appServices().get(0) : target.migrateService();
        log.step("Migrate", () -> {
            boolean aside = compose.program().equals(Compose.V1) && composeFile.hostNetworkServices().contains(service)
                    && !containerIds(release.image(), List.of(service)).isEmpty();
            try {
                run(compose.migrate(release.image(), service, target.migrateCommand(), target.migrateTimeout(), aside));
            } catch (RemoteCommandException e) {
                throw new ActionException("Migration failed", host() + ": " + e.getMessage() + " Nothing was switched:"
                        + " the old version is still serving, with its compose.yaml and .env put back.");
            }
        });
    }

    // --- 8-10. switch, health, rollback -----------------------------------------------------------------------

    /** Switches to the new image and waits for health; on failure rolls back (when enabled) and throws. */
    void switchAndVerify() {
        outcome = HostOutcome.FAILED_START;
        log.step("Switch", () -> {
            switched = true;
            run(compose.up(release.image(), target.services()));
        });
        String problem = log.step("Health", () -> health.waitHealthy(release.image(), Duration.ZERO));
        if (problem == null) {
            outcome = HostOutcome.DEPLOYED;
            return;
        }
        String logs = failedLogs();
        String rolledBack = rollbackAfter(problem);
        outcome = rolledBack == null ? HostOutcome.UNHEALTHY_NOT_ROLLED_BACK : HostOutcome.ROLLED_BACK;
        throw new ActionException("Deploy failed", host() + ": the new version failed its health check (" + problem + "). "
                + (rolledBack == null ? "It was not rolled back: " + notRolledBackReason() : rolledBack)
                + (logs.isEmpty() ? "" : " Last log lines of the new container: " + logs));
    }

    private String notRolledBackReason() {
        return !target.rollback() ? "rollback is false." : "there is no previous version (first deploy).";
    }

    /** Restores the previous version on a host that already switched, because the deploy failed elsewhere. */
    String rollbackAfter(String why) {
        if (!target.rollback() || previousImage.isEmpty() || shell.lost()) {
            return null;
        }
        return log.step("Rollback", () -> {
            log.info("rolling back because: " + why);
            restoreFiles();
            run(compose.up(previousImage, target.services()));
            String problem = health.waitHealthy(previousImage, ROLLBACK_MINIMUM_WAIT);
            outcome = HostOutcome.ROLLED_BACK;
            if (problem != null) {
                throw new ActionException("Rollback failed", host() + ": the deploy failed (" + why + ") and the"
                        + " rollback to " + previousImage + " is not healthy either (" + problem + "). The server needs"
                        + " attention.");
            }
            return "Rolled back to " + previousImage + ", which is healthy and serving.";
        });
    }

    private String failedLogs() {
        List<String> lines = new ArrayList<>();
        for (String service : target.services().isEmpty() ? composeFile.appServices() : target.services()) {
            try {
                CommandResult logs = shell.execute(compose.logs(release.image(), service, 20), OutputListener.SILENT);
                logs.stdout().lines().forEach(lines::add);
            } catch (RemoteCommandException e) {
                // logs are a courtesy; the failure itself is reported
            }
        }
        lines.forEach(log::remote);
        return RemoteShell.lastLines(String.join("\n", lines), 10);
    }

    // --- 11. success, cleanup ---------------------------------------------------------------------------------

    /**
     * The release passed its health check, so it stays: the record and the pruning are best effort, and a failure in
     * them is a warning, never a rollback.
     */
    void finish() {
        log.step("Release", () -> {
            bestEffort("record the release in .deploy/", () -> {
                shell.run(ReleaseCommands.recordRelease(target.appDir(), release.image(), releaseLine(HostOutcome.DEPLOYED)), log.output());
                log.info("release recorded in .deploy/releases.log");
            });
            bestEffort("prune old images", this::pruneImages);
        });
    }

    private void pruneImages() {
        ImageReference reference = ImageReference.parse(release.image());
        String listing = shell.run(ImageCommands.listImages(reference.repository()), OutputListener.SILENT).stdout();
        List<String> remove = ImageCommands.imagesToRemove(listing, target.keepImages(),
                List.of(reference.digest(), ImageReference.parse(previousImage).digest()));
        if (!remove.isEmpty()) {
            shell.execute(ImageCommands.removeImages(remove), log.output());
        }
        log.info("kept the " + target.keepImages() + " newest images of " + reference.repository()
                + " and the rollback image, removed " + remove.size());
    }

    private void bestEffort(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            log.warning("Cleanup failed after a healthy deploy", "could not " + what + " after the healthy release, which"
                    + " stays live: " + e.getMessage());
        }
    }

    /** After a failure: puts the previous compose file and .env back, and logs the failed release. */
    void restoreAfterFailure() {
        if (!uploaded || shell.lost()) {
            return;
        }
        try {
            if (filesReplaced) {
                restoreFiles();
            }
            shell.execute(ReleaseCommands.appendReleaseLog(target.appDir(), releaseLine(outcome)), OutputListener.SILENT);
        } catch (RuntimeException e) {
            log.info("could not restore the previous compose file and .env: " + e.getMessage());
        }
    }

    private void restoreFiles() {
        shell.run(ReleaseCommands.restorePreviousFiles(target.appDir()), log.output());
        log.info("restored the previous compose.yaml and .env");
        filesReplaced = false;
    }

    void releaseLock() {
        heartbeat.shutdownNow();
        if (!locked) {
            return;
        }
        try {
            server.execute(LockCommands.releaseLock(target.appDir(), lockToken), OutputListener.SILENT);
            locked = false;
        } catch (RuntimeException e) {
            log.warning("Deploy lock not released", "could not remove the lock in " + target.appDir() + " ("
                    + e.getMessage() + "); it expires lock-timeout after this deploy's last refresh.");
        }
    }

    private String releaseLine(HostOutcome result) {
        return Instant.now() + " " + target.environment() + " " + result + " " + release.image() + " previous="
                + (previousImage.isEmpty() ? "-" : previousImage) + " sha=" + release.sha() + " run="
                + (release.runUrl().isEmpty() ? "-" : release.runUrl());
    }

    private List<String> containerIds(String image) {
        return containerIds(image, target.services().isEmpty() ? composeFile.appServices() : target.services());
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

    private CommandResult run(RemoteCommand command) {
        log.info("$ " + command.display());
        return shell.run(command, log.output());
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ActionException("Deploy interrupted", "The deploy was interrupted.");
        }
    }
}
