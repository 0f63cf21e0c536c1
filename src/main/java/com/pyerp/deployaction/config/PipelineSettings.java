package com.pyerp.deployaction.config;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.GitHubContext;

/**
 * The pipeline's switches, all parsed and validated before any stage runs, so that a bad value fails the step
 * before anything is pushed or deployed.
 *
 * @param tarPath the path of {@code output: tar:PATH}, or null for {@code output: registry}
 */
public record PipelineSettings(
        Command command,
        ContextSource contextSource,
        boolean build,
        PushMode push,
        String tarPath,
        DeployMode deploy,
        String environment,
        boolean scan,
        boolean scanBeforePush) {

    /** {@code defaultContext} applies when the input is empty: {@code workflow} on a runner, {@code git} on the command line. */
    static PipelineSettings from(Inputs inputs, ContextSource defaultContext) {
        DeployMode deploy = Choices.of(inputs, Input.DEPLOY, DeployMode.class);
        String environment = inputs.string(Input.ENVIRONMENT);
        if (deploy == DeployMode.TRUE && environment.isEmpty() && !inputs.isSet(Input.SSH_HOST)) {
            throw new ActionException("Invalid input: environment",
                    "deploy is 'true' but neither 'environment' nor 'ssh-host' is set, so there is nowhere to deploy."
                            + " Set 'environment' to a section of deploy-config, or set 'ssh-host'.");
        }
        return new PipelineSettings(
                Choices.of(inputs, Input.COMMAND, Command.class),
                inputs.isSet(Input.CONTEXT) ? Choices.of(inputs, Input.CONTEXT, ContextSource.class) : defaultContext,
                inputs.bool(Input.BUILD),
                Choices.of(inputs, Input.PUSH, PushMode.class),
                tarPath(inputs),
                deploy,
                environment,
                inputs.bool(Input.SCAN),
                inputs.bool(Input.SCAN_BEFORE_PUSH));
    }

    /** Whether this run builds an image that the servers can pull: built, and pushed unless the token cannot. */
    public boolean buildsPushedImage() {
        return build && tarPath == null && push != PushMode.FALSE;
    }

    /** Whether the image goes to the registry: not with a tar output, and not for a fork's pull request on auto. */
    public boolean pushesIn(GitHubContext context) {
        return tarPath == null && (push == PushMode.TRUE || push == PushMode.AUTO && !context.isForkPullRequest());
    }

    private static String tarPath(Inputs inputs) {
        String output = inputs.string(Input.OUTPUT);
        if (output.equals("registry")) {
            return null;
        }
        if (output.startsWith("tar:") && !output.substring(4).isBlank()) {
            return output.substring(4).trim();
        }
        throw inputs.invalid(Input.OUTPUT, "'registry' or 'tar:PATH' (for example tar:build/image.tar)");
    }
}
