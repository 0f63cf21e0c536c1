package com.pyerp.deployaction.ssh;

import com.pyerp.deployaction.action.ActionException;

/** A connection or authentication problem, with a message that says what to fix. */
public class SshException extends ActionException {

    private final boolean retryable;

    public SshException(String title, String message) {
        this(title, message, null, false);
    }

    public SshException(String title, String message, Throwable cause, boolean retryable) {
        super(title, message, cause);
        this.retryable = retryable;
    }

    /** True only for failures to reach the server (refused, timed out), never for key or auth problems. */
    public boolean retryable() {
        return retryable;
    }
}
