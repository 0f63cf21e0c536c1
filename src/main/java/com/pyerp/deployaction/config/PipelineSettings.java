package com.pyerp.deployaction.config;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.GitHubContext;
import com.pyerp.deployaction.action.Input;
import com.pyerp.deployaction.action.Inputs;
import java.time.Duration;

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
        String format,
        PushMode push,
        String tarPath,
        DeployMode deploy,
        String environment,
        boolean rollback,
        int sshPort,
        Duration healthTimeout,
        Duration healthInterval,
        Duration lockTimeout,
        boolean scan,
        String scanSeverity,
        boolean scanIgnoreUnfixed,
        boolean scanBeforePush) {

    /**
     * Defaults for inputs whose action.yml default is empty so that a deploy-config value can stand when the
     * input is not set.
     */
    public static final int DEFAULT_SSH_PORT = 22;
    public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofMinutes(2);
    public static final Duration DEFAULT_HEALTH_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofMinutes(10);

    /** {@code defaultContext} applies when the input is empty: {@code workflow} on a runner, {@code git} on the command line. */
    public static PipelineSettings from(Inputs inputs, ContextSource defaultContext) {
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
                inputs.choice(Input.FORMAT, "docker", "oci"),
                Choices.of(inputs, Input.PUSH, PushMode.class),
                tarPath(inputs),
                deploy,
                environment,
                inputs.bool(Input.ROLLBACK),
                inputs.isSet(Input.SSH_PORT) ? inputs.port(Input.SSH_PORT) : DEFAULT_SSH_PORT,
                positive(inputs, Input.HEALTH_TIMEOUT, DEFAULT_HEALTH_TIMEOUT),
                positive(inputs, Input.HEALTH_INTERVAL, DEFAULT_HEALTH_INTERVAL),
                positive(inputs, Input.LOCK_TIMEOUT, DEFAULT_LOCK_TIMEOUT),
                inputs.bool(Input.SCAN),
                inputs.choice(Input.SCAN_SEVERITY, "LOW", "MEDIUM", "HIGH", "CRITICAL"),
                inputs.bool(Input.SCAN_IGNORE_UNFIXED),
                inputs.bool(Input.SCAN_BEFORE_PUSH));
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

    private static Duration positive(Inputs inputs, Input input, Duration fallback) {
        if (!inputs.isSet(input)) {
            return fallback;
        }
        Duration duration = inputs.duration(input);
        if (duration.isZero()) {
            throw inputs.invalid(input, "longer than zero, such as 90s, 2m or 1m30s");
        }
        return duration;
    }
}
