package com.pyerp.deployaction.server;

import java.util.List;
import java.util.Locale;

/** One provisioning step: what it found, what it will do about it, and the actions that do it. */
public record Step(String name, Outcome outcome, String detail, List<Action> actions) {

    public enum Outcome {
        CREATED, CHANGED, UNCHANGED, SKIPPED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Step {
        actions = List.copyOf(actions);
    }
}
