package com.pyerp.deployaction.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The deploy inputs, read once. Each is empty when the input is not set, so that the environment's deploy-config
 * value, or else the default, stands.
 */
record DeployInputs(
        Optional<String> deployConfig,
        Optional<List<String>> hosts,
        Optional<Integer> sshPort,
        Optional<String> sshUser,
        Optional<String> jumpHost,
        Optional<String> appDir,
        Optional<String> composeFile,
        Optional<String> envFile,
        Optional<List<String>> services,
        Optional<String> migrateCommand,
        Optional<String> healthUrl,
        Optional<Duration> healthTimeout,
        Optional<Duration> healthInterval,
        Optional<Duration> lockTimeout,
        Optional<Boolean> rollback) {

    /** Parses rollback, ssh-port, health-timeout, health-interval and lock-timeout in that order, as always. */
    static DeployInputs from(Inputs inputs) {
        Optional<Boolean> rollback = inputs.isSet(Input.ROLLBACK) ? Optional.of(inputs.bool(Input.ROLLBACK)) : Optional.empty();
        Optional<Integer> sshPort = inputs.isSet(Input.SSH_PORT) ? Optional.of(inputs.port(Input.SSH_PORT)) : Optional.empty();
        Optional<Duration> healthTimeout = positive(inputs, Input.HEALTH_TIMEOUT);
        Optional<Duration> healthInterval = positive(inputs, Input.HEALTH_INTERVAL);
        Optional<Duration> lockTimeout = positive(inputs, Input.LOCK_TIMEOUT);
        return new DeployInputs(text(inputs, Input.DEPLOY_CONFIG), list(inputs, Input.SSH_HOST), sshPort,
                text(inputs, Input.SSH_USER), text(inputs, Input.SSH_JUMP_HOST), text(inputs, Input.APP_DIR),
                text(inputs, Input.COMPOSE_FILE), text(inputs, Input.ENV_FILE), list(inputs, Input.SERVICES),
                text(inputs, Input.MIGRATE_COMMAND), text(inputs, Input.HEALTH_URL), healthTimeout, healthInterval,
                lockTimeout, rollback);
    }

    private static Optional<String> text(Inputs inputs, Input input) {
        return inputs.isSet(input) ? Optional.of(inputs.string(input)) : Optional.empty();
    }

    private static Optional<List<String>> list(Inputs inputs, Input input) {
        return inputs.isSet(input) ? Optional.of(inputs.list(input)) : Optional.empty();
    }

    private static Optional<Duration> positive(Inputs inputs, Input input) {
        if (!inputs.isSet(input)) {
            return Optional.empty();
        }
        Duration duration = inputs.duration(input);
        if (duration.isZero()) {
            throw inputs.invalid(input, "longer than zero, such as 90s, 2m or 1m30s");
        }
        return Optional.of(duration);
    }
}
