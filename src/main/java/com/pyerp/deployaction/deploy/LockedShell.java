package com.pyerp.deployaction.deploy;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.ssh.CommandResult;
import com.pyerp.deployaction.ssh.OutputListener;
import com.pyerp.deployaction.ssh.RemoteCommand;
import com.pyerp.deployaction.ssh.RemoteShell;

/**
 * The server as a deploy that holds the lock sees it: every command runs only while the lock is still this deploy's
 * ({@link LockCommands#underLock}), and files arrive in a staging directory first and are moved into app-dir by
 * such a command. A deploy whose lock was taken over therefore stops at its next command without touching anything:
 * its rollback can never overwrite the files of the deploy that holds the lock now.
 */
final class LockedShell implements RemoteShell {

    private final RemoteShell server;
    private final String appDir;
    private final String token;
    private final String host;
    private volatile boolean lost;

    LockedShell(RemoteShell server, String appDir, String token, String host) {
        this.server = server;
        this.appDir = appDir;
        this.token = token;
        this.host = host;
    }

    @Override
    public String name() {
        return server.name();
    }

    @Override
    public CommandResult execute(RemoteCommand command, OutputListener listener) {
        CommandResult result = server.execute(LockCommands.underLock(appDir, token, command), listener);
        if (result.exitStatus() == LockCommands.LOCK_LOST && result.stderr().contains(LockCommands.LOCK_LOST_MESSAGE)) {
            lost = true;
            throw new ActionException("Deploy lock lost", host + ": another deploy took over the lock in " + appDir
                    + " while this one ran (this one had not refreshed it for lock-timeout). This deploy stopped there and"
                    + " changes nothing more: the server belongs to the deploy that holds the lock now.");
        }
        return result;
    }

    /** Whether a command found the lock taken over: nothing more may be done on this server, not even a rollback. */
    boolean lost() {
        return lost;
    }

    @Override
    public void upload(byte[] content, String path, int mode) {
        String staging = LockCommands.stagingDirectory(appDir, token);
        run(LockCommands.makeDirectory(staging), OutputListener.SILENT);
        String staged = staging + "/" + path.substring(path.lastIndexOf('/') + 1);
        server.upload(content, staged, mode);
        run(LockCommands.moveStaged(staged, path), OutputListener.SILENT);
    }

    @Override
    public void close() {
        server.close();
    }
}
