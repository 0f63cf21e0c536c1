package com.pyerp.deployaction.config;

/** What the step does: the pipeline (tags, build, scan, deploy), a rollback of a deploy, or provisioning a server. */
public enum Command {
    PIPELINE, ROLLBACK, SETUP_SERVER;

    /** How the input writes it. */
    @Override
    public String toString() {
        return Choices.label(this);
    }
}
