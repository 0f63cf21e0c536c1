package com.pyerp.deployaction.config;

/** Whether the image is deployed ({@code deploy}): {@code auto} when the ref maps to an environment. */
public enum DeployMode {
    AUTO, TRUE, FALSE;

    /** How the input writes it. */
    @Override
    public String toString() {
        return Choices.label(this);
    }
}
