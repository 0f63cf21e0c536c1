package com.pyerp.deployaction.config;

import java.util.Optional;

/** How deploy-config's {@code strategy} takes an environment's hosts: all at once, or {@code batch-size} at a time. */
public enum Strategy {
    PARALLEL, ROLLING;

    /** The strategy deploy-config names, if it is one. */
    public static Optional<Strategy> named(String text) {
        return Choices.named(Strategy.class, text);
    }

    /** How deploy-config writes it. */
    @Override
    public String toString() {
        return Choices.label(this);
    }
}
