package com.pyerp.deployaction.config;

/**
 * What the build stage needs: the build definition (build file with the inputs on top), the registry settings, and
 * how often a failed registry request is tried (1 to 20).
 */
public record BuildSettings(BuildSpec spec, RegistrySettings registry, int attempts) {

    static int attempts(Inputs inputs) {
        String attempts = inputs.string(Input.REGISTRY_ATTEMPTS);
        if (!attempts.matches("\\d{1,2}") || Integer.parseInt(attempts) < 1 || Integer.parseInt(attempts) > 20) {
            throw inputs.invalid(Input.REGISTRY_ATTEMPTS, "a whole number from 1 to 20");
        }
        return Integer.parseInt(attempts);
    }
}
