package com.pyerp.deployaction.config;

/** Where the GitHub context comes from: the runner's workflow environment, or the git working tree. */
public enum ContextSource {
    WORKFLOW, GIT;

    /** How the input writes it. */
    @Override
    public String toString() {
        return Choices.label(this);
    }
}
