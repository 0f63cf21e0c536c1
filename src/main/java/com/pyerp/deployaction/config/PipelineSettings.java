package com.pyerp.deployaction.config;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.GitHubContext;
import com.pyerp.deployaction.results.Severity;
import java.util.Optional;

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

    /**
     * The switches, and the inputs of later parts that are checked with them before anything runs, whatever the
     * command: each parsed once, here, in the order in which they have always failed.
     *
     * @param format the format input when set (the build file's stands otherwise)
     */
    record Early(PipelineSettings settings, Optional<String> format, DeployInputs deploy, Severity scanSeverity,
            boolean scanIgnoreUnfixed) {}

    /** {@code defaultContext} applies when the input is empty: {@code workflow} on a runner, {@code git} on the command line. */
    static PipelineSettings from(Inputs inputs, ContextSource defaultContext) {
        return read(inputs, defaultContext).settings();
    }

    static Early read(Inputs inputs, ContextSource defaultContext) {
        DeployMode deploy = Choices.of(inputs, Input.DEPLOY, DeployMode.class);
        String environment = inputs.string(Input.ENVIRONMENT);
        if (deploy == DeployMode.TRUE && environment.isEmpty() && !inputs.isSet(Input.SSH_HOST)) {
            throw new ActionException("Invalid input: environment",
                    "deploy is 'true' but neither 'environment' nor 'ssh-host' is set, so there is nowhere to deploy."
                            + " Set 'environment' to a section of deploy-config, or set 'ssh-host'.");
        }
        Command command = Choices.of(inputs, Input.COMMAND, Command.class);
        ContextSource context = inputs.isSet(Input.CONTEXT) ? Choices.of(inputs, Input.CONTEXT, ContextSource.class)
                : defaultContext;
        boolean build = inputs.bool(Input.BUILD);
        String format = inputs.choice(Input.FORMAT, "docker", "oci");
        PushMode push = Choices.of(inputs, Input.PUSH, PushMode.class);
        String tarPath = tarPath(inputs);
        DeployInputs deployInputs = DeployInputs.from(inputs);
        boolean scan = inputs.bool(Input.SCAN);
        Severity severity = Severity.valueOf(inputs.choice(Input.SCAN_SEVERITY, "LOW", "MEDIUM", "HIGH", "CRITICAL"));
        boolean ignoreUnfixed = inputs.bool(Input.SCAN_IGNORE_UNFIXED);
        PipelineSettings settings = new PipelineSettings(command, context, build, push, tarPath, deploy, environment, scan,
                inputs.bool(Input.SCAN_BEFORE_PUSH));
        return new Early(settings, inputs.isSet(Input.FORMAT) ? Optional.of(format) : Optional.empty(), deployInputs,
                severity, ignoreUnfixed);
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
