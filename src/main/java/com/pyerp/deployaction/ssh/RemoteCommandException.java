package com.pyerp.deployaction.ssh;

import com.pyerp.deployaction.action.ActionException;

/**
 * A remote command that did not succeed: a non-zero exit, a server-side timeout, or no exit status at all
 * (the connection dropped or the process was killed). {@link #result()} is null in the last case.
 */
public class RemoteCommandException extends ActionException {

    private final transient RemoteCommand command;
    private final CommandResult result;

    public RemoteCommandException(RemoteCommand command, CommandResult result, String message) {
        super("Remote command failed", message);
        this.command = command;
        this.result = result;
    }

    public RemoteCommand command() {
        return command;
    }

    public CommandResult result() {
        return result;
    }
}
