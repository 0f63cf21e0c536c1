package com.pyerp.deployaction.config;

/** Whether the image is pushed ({@code push}): {@code auto} pushes except for a fork's pull request, whose token cannot. */
public enum PushMode {
    AUTO, TRUE, FALSE;

    /** How the input writes it. */
    @Override
    public String toString() {
        return Choices.label(this);
    }
}
