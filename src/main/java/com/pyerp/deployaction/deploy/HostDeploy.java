package com.pyerp.deployaction.deploy;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.config.DeployTarget;
import com.pyerp.deployaction.registry.Credential;
import com.pyerp.deployaction.ssh.CommandResult;
import com.pyerp.deployaction.ssh.OutputListener;
import com.pyerp.deployaction.ssh.RemoteCommand;
import com.pyerp.deployaction.ssh.RemoteShell;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The deploy on one server, step by step; {@link DeployStage} calls the steps in order across hosts. The steps are
 * the same for every engine: the preflight, the {@link ServerLock}, the files and their backup, the migration, the
 * switch, the health wait and the rollback, and the release log. How the release runs is the {@link DeployEngine}'s.
 */
final class HostDeploy {

    /**
     * What the release is and who runs it, for the lock and the release log. {@code rollback}: the files are those
     * the server kept for the image when it was deployed, instead of uploaded ones.
     */
    record Release(String image, String holder, String sha, String runUrl, byte[] composeFile, byte[] envFile,
            Credential registryLogin, boolean rollback) {}

    /** The old version was healthy minutes ago; give it this long to prove it again, even with a short health-timeout. */
    private static final Duration ROLLBACK_MINIMUM_WAIT = Duration.ofSeconds(30);

    /** The server before the lock is taken. */
    private final RemoteShell server;
    private final ServerLock lock;
    /** The server once the lock is taken: every command checks that this deploy still holds it. */
    private final LockedShell shell;
    private final DeployEngine engine;
    private final DeployTarget target;
    private final Release release;
    private final HostLog log;

    private boolean filesReplaced;
    private boolean uploaded;
    private boolean switched;
    private String previousImage = "";
    private HostOutcome outcome = HostOutcome.NOT_STARTED;

    HostDeploy(RemoteShell server, DeployTarget target, ComposeFile composeFile, StackFile stackFile, Release release,
            HostLog log) {
        this.server = server;
        this.lock = new ServerLock(server, target, release.holder(), log);
        this.shell = lock.shell();
        this.engine = target.swarm() != null ? new SwarmEngine(server, shell, target, composeFile, stackFile, release, log)
                : target.proxy() == null ? new ComposeEngine(server, shell, target, composeFile, release, log)
                : new ProxyEngine(server, shell, target, composeFile, release, log);
        this.target = target;
        this.release = release;
        this.log = log;
    }

    String host() {
        return log.host();
    }

    /** What the engine says runs where now, for the summary; empty for nothing more than the hosts' table. */
    String report() {
        return engine.report();
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

    /** Which release this server serves now, as far as this deploy knows, for the summary. */
    String serving() {
        return switch (outcome()) {
            case DEPLOYED, UNHEALTHY_NOT_ROLLED_BACK -> release.image();
            case LOCK_LOST -> "unknown: another deploy took the lock over";
            case FAILED_START -> switched ? "unknown: the switch failed midway" : previousOrNone();
            default -> previousOrNone();
        };
    }

    private String previousOrNone() {
        return previousImage.isEmpty() ? "unchanged" : previousImage;
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
            List<String> needed = new ArrayList<>(engine.programsToCheck());
            needed.add("flock");
            if (target.health() != null) {
                needed.add("curl");
            }
            List<String> missing = server.run(DeployCommands.missingPrograms(needed), OutputListener.SILENT).stdout().lines()
                    .map(String::strip).toList();
            engine.requirePrograms(missing);
            engine.requireReady();
            if (missing.contains("flock")) {
                throw new ActionException("Server not ready", host() + ": 'flock' is not installed, and the deploy lock"
                        + " needs it. Install util-linux (apt-get install util-linux).");
            }
            if (missing.contains("curl")) {
                throw new ActionException("Server not ready", host() + ": the health check runs curl on the server, and"
                        + " curl is not installed. Install it (apt-get install curl).");
            }
            DeployCommands.FreeDisk disk = DeployCommands.freeDisk(server.run(DeployCommands.dockerRootAndFreeDisk(
                    target.appDir()), OutputListener.SILENT).stdout());
            requireFreeDisk(disk.dockerRoot(), disk.dockerRootMegabytes(), "Free some space (docker image prune)");
            requireFreeDisk(target.appDir(), disk.appDirMegabytes(), "Free some space there (on a full disk the backup of"
                    + " compose.yaml and .env fails)");
            log.run(server, ReleaseCommands.prepareDirectories(target.appDir()));
        });
    }

    private void requireFreeDisk(String path, long free, String advice) {
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
        log.step("Lock", lock::acquire);
    }

    // --- 3-5. upload, pull, record ----------------------------------------------------------------------------

    void upload() {
        outcome = HostOutcome.FAILED_UPLOAD;
        log.step(release.rollback() ? "Release files" : "Upload", () -> {
            shell.run(ReleaseCommands.keepPreviousFiles(target.appDir()), log.output());
            filesReplaced = true;
            uploaded = true;
            if (release.rollback()) {
                shell.run(ReleaseCommands.takeReleaseFiles(target.appDir(), release.image()), log.output());
                log.info("compose.yaml and .env kept for " + release.image() + " in "
                        + ReleaseCommands.releaseFiles(release.image()) + "/ (the running ones kept in .deploy/previous/)");
                engine.validate(release.image());
                return;
            }
            shell.upload(release.composeFile(), target.appDir() + "/" + DeployCommands.COMPOSE_NAME, 0644);
            log.info("compose.yaml: " + release.composeFile().length + " bytes (previous kept in .deploy/previous/)");
            if (release.envFile() != null) {
                shell.upload(release.envFile(), target.appDir() + "/" + DeployCommands.ENV_NAME, 0600);
                log.info(".env: " + release.envFile().length + " bytes, mode 0600");
            }
            engine.validate(release.image());
        });
    }

    void pull() {
        outcome = HostOutcome.FAILED_PULL;
        log.step("Pull", engine::pull);
    }

    void recordPrevious() {
        outcome = HostOutcome.FAILED_RECORD;
        log.step("Record running version", () -> {
            previousImage = engine.runningImage();
            log.info(previousImage.isEmpty() ? "nothing runs yet: first deploy, no rollback target"
                    : "running now (rollback target): " + previousImage);
        });
        // Until its own migration or switch starts: a rolling deploy that fails on an earlier host stops here.
        outcome = HostOutcome.NOT_REACHED;
    }

    // --- 6. migrate -------------------------------------------------------------------------------------------

    /** With migrate-pause, on every host before the migration: the proxy holds requests and the old release stops. */
    void hold() {
        outcome = HostOutcome.FAILED_MIGRATION;
        log.step("Pause", engine::hold);
    }

    void migrate() {
        outcome = HostOutcome.FAILED_MIGRATION;
        log.step("Migrate", engine::migrate);
    }

    // --- 7-9. switch, health, rollback ------------------------------------------------------------------------

    /**
     * Switches to the new image and waits for health; on failure rolls back (when enabled) and throws. An engine that
     * starts the release beside the old one switches only once it is healthy, and on failure stops it instead.
     */
    void switchAndVerify() {
        outcome = HostOutcome.FAILED_START;
        boolean beside = engine.startsBeside();
        log.step(beside ? "Start beside" : "Switch", () -> {
            switched = !beside;
            engine.start(release.image());
        });
        String problem = log.step("Health", () -> engine.waitHealthy(release.image(), Duration.ZERO));
        if (problem == null) {
            if (beside) {
                log.step("Switch", () -> {
                    engine.switchTraffic();
                    switched = true;
                    engine.retire();
                });
            }
            outcome = HostOutcome.DEPLOYED;
            return;
        }
        String logs = engine.lastLogLines();
        if (beside) {
            boolean held = engine.holds();
            log.step("Discard", engine::discard);
            outcome = HostOutcome.NOT_SWITCHED;
            throw new ActionException("Deploy failed", host() + ": the new version failed its health check (" + problem
                    + "). " + (held ? "The held requests went to it; " + resumeAfterHold()
                            : "Nothing was switched: the old version kept serving through the proxy.")
                    + (logs.isEmpty() ? "" : " Last log lines of the new container: " + logs));
        }
        String rolledBack = rollbackAfter(problem);
        outcome = rolledBack == null ? HostOutcome.UNHEALTHY_NOT_ROLLED_BACK : HostOutcome.ROLLED_BACK;
        throw new ActionException("Deploy failed", host() + ": the new version failed its health check (" + problem + "). "
                + (rolledBack == null ? "It was not rolled back: " + notRolledBackReason() : rolledBack)
                + (logs.isEmpty() ? "" : " Last log lines of the new container: " + logs));
    }

    /**
     * After a held migration or release failed: the old release, which the pause stopped, serves again from the slot
     * the requests wait for, whatever rollback says, since it ran before this deploy.
     */
    private String resumeAfterHold() {
        if (previousImage.isEmpty() || shell.lost()) {
            return "the old version was not started again (" + (shell.lost() ? "the lock was lost" : "none is recorded")
                    + "). The server needs attention.";
        }
        String problem = log.step("Resume", () -> {
            restoreFiles();
            return engine.resume(previousImage);
        });
        return "the old version " + previousImage + " was started again and takes them" + (problem == null ? ""
                : ", but is not healthy (" + problem + "); the server needs attention") + ".";
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
            engine.restore(previousImage);
            String problem = engine.waitHealthy(previousImage, ROLLBACK_MINIMUM_WAIT);
            if (problem == null) {
                engine.switchTraffic();
                engine.retire();
            }
            outcome = HostOutcome.ROLLED_BACK;
            if (problem != null) {
                throw new ActionException("Rollback failed", host() + ": the deploy failed (" + why + ") and the"
                        + " rollback to " + previousImage + " is not healthy either (" + problem + "). The server needs"
                        + " attention.");
            }
            return "Rolled back to " + previousImage + ", which is healthy and serving.";
        });
    }

    // --- 10. success, cleanup ---------------------------------------------------------------------------------

    /**
     * The release passed its health check, so it stays: the record and the pruning are best effort, and a failure in
     * them is a warning, never a rollback.
     */
    void finish() {
        log.step("Release", () -> {
            bestEffort("record the release in .deploy/", () -> {
                shell.run(ReleaseCommands.recordRelease(target.appDir(), release.image(), releaseLine(HostOutcome.DEPLOYED),
                        target.keepImages()), log.output());
                log.info("release recorded in .deploy/releases.log, its files in "
                        + ReleaseCommands.releaseFiles(release.image()) + "/");
            });
            bestEffort("prune old images", () -> engine.prune(previousImage));
        });
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
            if (engine.holds()) {
                log.info(resumeAfterHold());
            }
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
        lock.release();
    }

    private String releaseLine(HostOutcome result) {
        return Instant.now() + " " + target.environment() + " " + result + " " + release.image() + " previous="
                + (previousImage.isEmpty() ? "-" : previousImage) + " sha=" + release.sha() + " run="
                + (release.runUrl().isEmpty() ? "-" : release.runUrl());
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
