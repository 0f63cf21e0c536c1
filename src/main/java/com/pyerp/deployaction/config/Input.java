package com.pyerp.deployaction.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Every input the action reads, with its default. action.yml declares exactly these, with the same defaults
 * (checked by a test); the jar does not parse action.yml at run time because that costs start-up time.
 */
public enum Input {
    IMAGES("images", ""),
    TAGS("tags", ""),
    FLAVOR("flavor", ""),
    LABELS("labels", ""),
    ANNOTATIONS("annotations", ""),
    SEP_TAGS("sep-tags", ""),
    SEP_LABELS("sep-labels", ""),
    SEP_ANNOTATIONS("sep-annotations", ""),
    CONTEXT("context", "workflow"),
    GITHUB_TOKEN("github-token", "${{ github.token }}"),
    BUILD("build", "true"),
    BUILD_FILE("build-file", ""),
    BASE_IMAGE("base-image", ""),
    LAYERS("layers", ""),
    ENTRYPOINT("entrypoint", ""),
    CMD("cmd", ""),
    WORKDIR("workdir", ""),
    USER("user", ""),
    ENV("env", ""),
    PORTS("ports", ""),
    VOLUMES("volumes", ""),
    PLATFORMS("platforms", ""),
    FORMAT("format", "docker"),
    PUSH("push", "auto"),
    OUTPUT("output", "registry"),
    REGISTRY_USERNAME("registry-username", ""),
    REGISTRY_PASSWORD("registry-password", ""),
    INSECURE_REGISTRIES("insecure-registries", ""),
    REGISTRY_ATTEMPTS("registry-attempts", "5"),
    SYSTEM_PACKAGES("system-packages", ""),
    SYSTEM_PACKAGES_SOURCES("system-packages-sources", ""),
    SYSTEM_PACKAGES_KEYRING("system-packages-keyring", ""),
    SYSTEM_PACKAGES_LOCK("system-packages-lock", ""),
    DEPLOY("deploy", "auto"),
    ENVIRONMENT("environment", ""),
    DEPLOY_CONFIG("deploy-config", ""),
    SSH_HOST("ssh-host", ""),
    SSH_PORT("ssh-port", ""),
    SSH_USER("ssh-user", ""),
    SSH_KEY("ssh-key", ""),
    SSH_KEY_PASSPHRASE("ssh-key-passphrase", ""),
    SSH_KNOWN_HOSTS("ssh-known-hosts", ""),
    SSH_FINGERPRINT("ssh-fingerprint", ""),
    SSH_JUMP_HOST("ssh-jump-host", ""),
    APP_DIR("app-dir", ""),
    COMPOSE_FILE("compose-file", ""),
    ENV_FILE("env-file", ""),
    SERVICES("services", ""),
    MIGRATE_COMMAND("migrate-command", ""),
    HEALTH_URL("health-url", ""),
    HEALTH_TIMEOUT("health-timeout", ""),
    HEALTH_INTERVAL("health-interval", ""),
    ROLLBACK("rollback", "true"),
    PREVIOUS_IMAGE("previous-image", ""),
    LOCK_TIMEOUT("lock-timeout", ""),
    SCAN("scan", "false"),
    SCAN_SEVERITY("scan-severity", "HIGH"),
    SCAN_IGNORE_UNFIXED("scan-ignore-unfixed", "false"),
    SCAN_IGNORE("scan-ignore", ""),
    SCAN_BEFORE_PUSH("scan-before-push", "false"),
    SCAN_DB("scan-db", ""),
    SCAN_API_URL("scan-api-url", "https://api.osv.dev"),
    COMMAND("command", "pipeline"),
    APP_USER("app-user", "pyerp"),
    APP_PUBLIC_KEY("app-public-key", ""),
    SUDO_PASSWORD("sudo-password", ""),
    ENV_TEMPLATE("env-template", ""),
    PROXY("proxy", "none"),
    SWARM("swarm", "none"),
    SWARM_ADVERTISE_ADDR("swarm-advertise-addr", "");

    private final String id;
    private final String defaultValue;

    Input(String id, String defaultValue) {
        this.id = id;
        this.defaultValue = defaultValue;
    }

    /** The name used in workflows and on the command line. */
    public String id() {
        return id;
    }

    /** The default from action.yml; an expression such as {@code ${{ github.token }}} that only the runner can evaluate. */
    public String defaultValue() {
        return defaultValue;
    }

    /** The environment variable the runner sets for JavaScript actions: upper case, spaces to '_', hyphens kept. */
    public String environmentName() {
        return "INPUT_" + id.replace(' ', '_').toUpperCase(Locale.ROOT);
    }

    public static Optional<Input> byId(String id) {
        return Arrays.stream(values()).filter(input -> input.id.equals(id)).findFirst();
    }
}
