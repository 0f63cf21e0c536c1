package com.pyerp.deployaction.deploy;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.config.DeployTarget;
import com.pyerp.deployaction.ssh.CommandResult;
import com.pyerp.deployaction.ssh.OutputListener;
import com.pyerp.deployaction.ssh.RemoteShell;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One deploy's hold on a server's lock ({@link LockCommands}): taken, or waited for up to lock-timeout, or taken over
 * when its holder stopped refreshing it; refreshed while the deploy works; released at the end. {@link #shell} is the
 * server as the holder may change it.
 */
final class ServerLock {

    private final RemoteShell server;
    private final DeployTarget target;
    private final String holder;
    private final HostLog log;
    private final String token = UUID.randomUUID().toString();
    private final LockedShell shell;
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "deploy-lock-heartbeat");
        thread.setDaemon(true);
        return thread;
    });
    private boolean locked;

    /** @param holder who holds it, for the other deploys' messages: the actor, the run's URL and the commit */
    ServerLock(RemoteShell server, DeployTarget target, String holder, HostLog log) {
        this.server = server;
        this.target = target;
        this.holder = holder;
        this.log = log;
        this.shell = new LockedShell(server, target.appDir(), token, log.host());
    }

    /** The server for everything after {@link #acquire}: each command runs only while this deploy holds the lock. */
    LockedShell shell() {
        return shell;
    }

    void acquire() {
        Instant deadline = Instant.now().plus(target.lockTimeout());
        boolean announced = false;
        while (true) {
            CommandResult result = server.execute(LockCommands.acquireLock(target.appDir(), token, holder,
                    target.lockTimeout().toSeconds()), OutputListener.SILENT);
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
                throw RemoteShell.failure(LockCommands.acquireLock(target.appDir(), token, holder,
                        target.lockTimeout().toSeconds()), result);
            }
            String[] parts = answer.split(" ", 3);
            String other = parts.length > 2 ? parts[2] : "another deploy";
            if (Instant.now().isAfter(deadline)) {
                throw new ActionException("Server locked", log.host() + ": another deploy holds the lock in "
                        + target.appDir() + ": " + other + ". Waited " + target.lockTimeout().toSeconds()
                        + " s (lock-timeout) and it is still alive. Nothing was changed. Re-run when it is done; a"
                        + " lock whose deploy died expires lock-timeout after its last refresh.");
            }
            if (!announced) {
                log.info("waiting for the lock held by " + other);
                announced = true;
            }
            HostDeploy.sleep(Duration.ofSeconds(2));
        }
        locked = true;
        long period = Math.max(1, Math.min(30, target.lockTimeout().toSeconds() / 3));
        heartbeat.scheduleAtFixedRate(this::refresh, period, period, TimeUnit.SECONDS);
    }

    /** A lock this deploy lost is not refreshed; its next command finds that out (see {@link LockedShell}). */
    private void refresh() {
        try {
            server.execute(LockCommands.refreshLock(target.appDir(), token), OutputListener.SILENT);
        } catch (RuntimeException e) {
            // the connection is gone; the step that uses it next reports that
        }
    }

    void release() {
        heartbeat.shutdownNow();
        if (!locked) {
            return;
        }
        try {
            server.execute(LockCommands.releaseLock(target.appDir(), token), OutputListener.SILENT);
            locked = false;
        } catch (RuntimeException e) {
            log.warning("Deploy lock not released", "could not remove the lock in " + target.appDir() + " ("
                    + e.getMessage() + "); it expires lock-timeout after this deploy's last refresh.");
        }
    }
}
