package com.pyerp.deployaction.config;

import com.pyerp.deployaction.registry.Credential;
import java.util.Optional;
import java.util.Set;

/**
 * How the run talks to registries: the login the inputs give, the registries reached over plain HTTP, and how
 * often a failed request is tried.
 *
 * @param username empty means the workflow's actor
 */
public record RegistrySettings(Optional<String> username, Optional<String> password, String githubToken,
        Set<String> insecureRegistries) {

    public RegistrySettings {
        insecureRegistries = Set.copyOf(insecureRegistries);
    }

    static RegistrySettings from(Inputs inputs) {
        return new RegistrySettings(
                inputs.isSet(Input.REGISTRY_USERNAME) ? Optional.of(inputs.string(Input.REGISTRY_USERNAME)) : Optional.empty(),
                inputs.isSet(Input.REGISTRY_PASSWORD) ? Optional.of(inputs.string(Input.REGISTRY_PASSWORD)) : Optional.empty(),
                inputs.string(Input.GITHUB_TOKEN),
                Set.copyOf(inputs.list(Input.INSECURE_REGISTRIES)));
    }

    /**
     * The login the inputs give for {@code registry}: registry-password, else the workflow token for ghcr.io; empty
     * when neither applies (then docker's config, or the server's own login).
     */
    public Optional<Credential> login(String registry, String actor) {
        String user = username.orElse(actor);
        if (password.isPresent()) {
            return Optional.of(new Credential(user, password.get(), "registry-password input"));
        }
        if (registry.equals("ghcr.io") && !githubToken.isEmpty()) {
            return Optional.of(new Credential(user, githubToken, "github-token input"));
        }
        return Optional.empty();
    }

    public boolean insecure(String registry) {
        return insecureRegistries.contains(registry);
    }

    @Override
    public String toString() {
        return "RegistrySettings[username=" + username + ", insecure=" + insecureRegistries + "]";
    }
}
