package com.pyerp.deployaction.action;

/**
 * A failure the user can act on. It becomes one {@code ::error title=…::message} line and exit code 1;
 * the message names what is wrong and how to fix it.
 */
public class ActionException extends RuntimeException {
    private final String title;

    public ActionException(String title, String message) {
        super(message);
        this.title = title;
    }

    public ActionException(String title, String message, Throwable cause) {
        super(message, cause);
        this.title = title;
    }

    public String title() {
        return title;
    }
}
