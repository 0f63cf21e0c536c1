package com.pyerp.deployaction.config;

/**
 * What the deploy stage needs: where this run deploys ({@link DeployTargets}, decided per ref), how it logs in to
 * the servers and to the registry, and the token for GitHub's deployment records (never printed).
 *
 * @param previousImage for {@code command: rollback}, the image to go back to; empty means the release log's
 */
public record DeploySettings(DeployTargets targets, SshSettings ssh, RegistrySettings registry, String githubToken,
        String previousImage) {

    @Override
    public String toString() {
        return "DeploySettings[" + targets + ", " + ssh + ", " + registry + "]";
    }
}
