package com.pyerp.deployaction.config;

/** What the step does: the pipeline (tags, build, scan, deploy), or provisioning a server. */
public enum Command {
    PIPELINE, SETUP_SERVER;

    /** How the input writes it. */
    @Override
    public String toString() {
        return Choices.label(this);
    }
}
