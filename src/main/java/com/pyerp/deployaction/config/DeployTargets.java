package com.pyerp.deployaction.config;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.AppDirectory;
import com.pyerp.deployaction.action.CommandLineWords;
import com.pyerp.deployaction.action.GitHubContext;
import com.pyerp.deployaction.action.Workspace;
import com.pyerp.deployaction.config.DeployConfigFile.Value;
import com.pyerp.deployaction.ssh.SshEndpoint;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Decides whether this run deploys and where: the environment from {@code environment}, or the one whose
 * {@code branches}/{@code tags} match the ref; then every setting from the inputs, else deploy-config, else the
 * default. Pure apart from reading the local files it names; everything is checked here, before any connection.
 */
public final class DeployTargets {

    /** {@code target} is null when the run does not deploy; {@code reason} says why, or where it deploys. */
    public record Decision(DeployTarget target, String reason) {}

    static final String DEFAULT_USER = "deploy";
    static final String SINGLE_ENVIRONMENT = "production";

    static final int DEFAULT_SSH_PORT = 22;
    static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofMinutes(2);
    static final Duration DEFAULT_HEALTH_INTERVAL = Duration.ofSeconds(5);
    static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofMinutes(10);

    private final DeployInputs given;
    private final PipelineSettings settings;
    private final Workspace workspace;
    private final Path workingDirectory;

    /** The deploy-config file is read when a decision needs it. */
    DeployTargets(DeployInputs given, PipelineSettings settings, Workspace workspace) {
        this.given = given;
        this.settings = settings;
        this.workspace = workspace;
        this.workingDirectory = workspace.root();
    }

    public Decision decide(GitHubContext context) {
        if (settings.deploy() == DeployMode.FALSE) {
            return new Decision(null, "skipped (deploy: false)");
        }
        DeployConfigFile config = given.deployConfig().map(this::readConfig).orElse(null);
        if (config == null && given.hosts().isEmpty()) {
            if (settings.deploy() == DeployMode.TRUE) {
                throw new ActionException("Invalid input: deploy-config", "deploy is 'true', but there is no"
                        + " 'deploy-config' and no 'ssh-host', so there is nowhere to deploy. Set one of them.");
            }
            return new Decision(null, "skipped (no deploy-config or ssh-host)");
        }
        String environment = settings.environment();
        boolean forced = settings.deploy() == DeployMode.TRUE;
        if (config != null && !environment.isEmpty() && !config.has(environment)) {
            throw new ActionException("Invalid input: environment", "Input 'environment' is '" + environment + "', but "
                    + config.name() + " has no such section; it has " + String.join(", ", config.environments())
                    + ". Set 'environment' to one of them or add the section.");
        }
        if (config != null && environment.isEmpty()) {
            List<String> matching = config.environments().stream()
                    .filter(name -> triggers(config.section(name), context)).toList();
            if (matching.size() > 1) {
                throw new ActionException(DeployConfigFile.TITLE, config.name() + ": the ref " + context.ref()
                        + " matches the environments " + String.join(" and ", matching) + "; make their branches and"
                        + " tags distinct, or set 'environment'.");
            }
            if (matching.isEmpty()) {
                if (forced) {
                    throw new ActionException("Invalid input: environment", "deploy is 'true', but the ref "
                            + context.ref() + " matches no environment in " + config.name() + ". Set 'environment'.");
                }
                return new Decision(null, "skipped (" + describeRef(context) + " maps to no environment in "
                        + config.name() + ")");
            }
            environment = matching.get(0);
        } else if (config != null && !forced && !triggers(config.section(environment), context)) {
            return new Decision(null, "skipped (" + describeRef(context) + " does not trigger environment '"
                    + environment + "')");
        }
        if (config == null && !forced && context.isPullRequest()) {
            return new Decision(null, "skipped (pull requests do not deploy; set deploy: true to force it)");
        }
        if (environment.isEmpty()) {
            environment = SINGLE_ENVIRONMENT;
        }
        DeployTarget target = config == null ? resolve(environment, Map.of(), "inputs", workingDirectory)
                : resolve(environment, config.section(environment), config.name(), configDirectory(config.name()));
        if (!settings.buildsPushedImage() && settings.command() != Command.ROLLBACK) {
            throw new ActionException("Invalid input: deploy", "This run would deploy to " + target.environment()
                    + ", but it does not push an image (build: " + settings.build() + ", push: " + settings.push()
                    + ", output: " + (settings.tarPath() == null ? "registry" : "tar") + "). The deploy runs the image"
                    + " this run pushes: build and push it, or set deploy: false.");
        }
        return new Decision(target, "deploy to " + environment + " (" + target.hosts().size() + " host"
                + (target.hosts().size() == 1 ? "" : "s") + ")");
    }

    private Path configDirectory(String configName) {
        Path parent = workingDirectory.resolve(configName).getParent();
        return parent == null ? workingDirectory : parent;
    }

    private DeployConfigFile readConfig(String name) {
        Path file = workingDirectory.resolve(name);
        if (!workspace.containsInput(file)) {
            throw Inputs.invalid(Input.DEPLOY_CONFIG, name, "a file of the repository: it " + workspace.outside());
        }
        try {
            return DeployConfigFile.parse(Files.readString(file), name);
        } catch (IOException e) {
            throw Inputs.invalid(Input.DEPLOY_CONFIG, name, "a readable YAML file relative to the working directory ("
                    + file.toAbsolutePath().normalize() + " cannot be read)");
        }
    }

    /** Whether the ref is one of the section's branches or tags (glob patterns with {@code *}). */
    static boolean triggers(Map<String, Value> section, GitHubContext context) {
        if (context.isPullRequest()) {
            return false;
        }
        String ref = context.ref();
        if (!section.containsKey("branches") && !section.containsKey("tags")) {
            return true;
        }
        if (ref.startsWith("refs/heads/")) {
            return matchesAny(section.get("branches"), ref.substring("refs/heads/".length()));
        }
        if (ref.startsWith("refs/tags/")) {
            return matchesAny(section.get("tags"), ref.substring("refs/tags/".length()));
        }
        return false;
    }

    private static boolean matchesAny(Value patterns, String name) {
        if (patterns == null) {
            return false;
        }
        return items(patterns).stream().anyMatch(pattern -> glob(pattern).matcher(name).matches());
    }

    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            regex.append(Pattern.quote(part)).append(".*");
        }
        return Pattern.compile(regex.substring(0, regex.length() - 2));
    }

    private static String describeRef(GitHubContext context) {
        return context.isPullRequest() ? "a pull request" : "the ref " + (context.ref().isEmpty() ? "(none)" : context.ref());
    }

    private DeployTarget resolve(String environment, Map<String, Value> section, String source, Path directory) {
        EnvironmentSection s = new EnvironmentSection(environment, section, source, directory);
        int port = given.sshPort().orElseGet(() -> s.get("ssh-port", v -> s.number(v, 1, 65535), DEFAULT_SSH_PORT));
        String user = given.sshUser().orElseGet(() -> s.get("ssh-user", s::text, DEFAULT_USER));
        List<String> hostSpecs = given.hosts().orElseGet(() -> s.get("hosts", DeployTargets::items, List.of()));
        if (hostSpecs.isEmpty()) {
            throw new ActionException(DeployConfigFile.TITLE, "Environment '" + environment + "' has no hosts. Add"
                    + " 'hosts:' to its section in " + source + ", or set 'ssh-host'.");
        }
        List<SshEndpoint> hosts = new ArrayList<>();
        for (String spec : hostSpecs) {
            try {
                hosts.add(SshEndpoint.parse(spec, user, port));
            } catch (IllegalArgumentException e) {
                throw s.invalidOrInput(Input.SSH_HOST, given.hosts().isPresent(), "hosts", e.getMessage() + "; write host names such as app1.example.com"
                        + " or user@host:port");
            }
        }
        SshEndpoint jump = null;
        String jumpSpec = given.jumpHost().orElseGet(() -> s.get("ssh-jump-host", s::text, ""));
        if (!jumpSpec.isEmpty()) {
            try {
                jump = SshEndpoint.parse(jumpSpec, user, 22);
            } catch (IllegalArgumentException e) {
                throw s.invalidOrInput(Input.SSH_JUMP_HOST, given.jumpHost().isPresent(), "ssh-jump-host", e.getMessage() + "; write user@host:port");
            }
        }
        String appDir = given.appDir().orElseGet(() -> s.get("app-dir", s::text, ""));
        if (appDir.isEmpty()) {
            throw new ActionException(DeployConfigFile.TITLE, "Environment '" + environment + "' has no app-dir. Add"
                    + " 'app-dir: /srv/APP' to its section in " + source + ", or set the 'app-dir' input.");
        }
        try {
            appDir = AppDirectory.normalise(appDir);
        } catch (IllegalArgumentException e) {
            throw s.invalidOrInput(Input.APP_DIR, given.appDir().isPresent(), "app-dir", e.getMessage());
        }
        String project = s.get("project", v -> s.matching(v, "[a-z0-9][a-z0-9_-]*", "a Compose project name: lower-case"
                + " letters, digits, '-' and '_'"), "");
        Path compose = localFile(given.composeFile(), s, Input.COMPOSE_FILE, "compose-file", true);
        Path envFile = localFile(given.envFile(), s, Input.ENV_FILE, "env-file", false);
        List<String> services = given.services().orElseGet(() -> s.get("services", DeployTargets::items, List.of()));
        String migrate = given.migrateCommand().orElseGet(() -> s.get("migrate-command", v -> v.isList() ? null : v.text(), ""));
        List<String> migrateArgv = section.containsKey("migrate-command") && section.get("migrate-command").isList()
                && given.migrateCommand().isEmpty() ? section.get("migrate-command").list() : words(migrate, s);
        String migrateService = s.get("migrate-service", s::text, services.isEmpty() ? "" : services.get(0));
        Duration migrateTimeout = s.get("migrate-timeout", s::duration, Duration.ofMinutes(10));
        HealthCheck health = health(s);
        String url = s.get("url", s::text, "");
        int batchSize = s.get("strategy", v -> {
            Strategy strategy = Strategy.named(s.text(v)).orElseThrow(() -> s.invalid(v, "strategy", "'" + s.text(v)
                    + "' must be parallel or rolling"));
            return strategy == Strategy.PARALLEL ? hosts.size() : 0;
        }, 0);
        if (batchSize == 0) {
            batchSize = s.get("batch-size", v -> s.number(v, 1, 1000), 1);
        }
        Duration lockTimeout = given.lockTimeout().orElseGet(() -> s.get("lock-timeout", s::duration, DEFAULT_LOCK_TIMEOUT));
        boolean rollback = given.rollback().orElseGet(() -> s.get("rollback", s::bool, true));
        SwarmStack swarm = SwarmStack.read(s, project, appDir);
        ProxySwitch proxy = ProxySwitch.read(s, url, !migrateArgv.isEmpty());
        if (proxy != null) {
            requireProxyHealth(s, proxy, health);
        }
        return new DeployTarget(environment, hosts, jump, appDir, project, compose, envFile, services, migrateArgv,
                migrateService, migrateTimeout, health, url, Math.min(batchSize, hosts.size()), lockTimeout,
                s.get("keep-images", v -> s.number(v, 1, 100), 3), s.get("min-free-disk-mb", v -> s.number(v, 0, 10_000_000), 1024),
                rollback, proxy, swarm);
    }

    /** The proxy switches only to a slot that answers health-url, asked with a host name the app knows. */
    private static void requireProxyHealth(EnvironmentSection s, ProxySwitch proxy, HealthCheck health) {
        if (health == null) {
            throw s.missing("has switch: proxy but no health-url, and the proxy switches only to a release that answers"
                    + " it. Add 'health-url: http://127.0.0.1:8000/health/' (its path is asked of the new slot's own"
                    + " port), or set the health-url input,");
        }
        if (health.host().isEmpty() && proxy.hosts().stream().allMatch(host -> host.startsWith("*."))) {
            throw s.missing("has only wildcard proxy-hosts, so the health check has no host name to send. Add"
                    + " 'health-host: erp.example.com'");
        }
    }

    private HealthCheck health(EnvironmentSection s) {
        String url = given.healthUrl().orElseGet(() -> s.get("health-url", s::text, ""));
        if (url.isEmpty()) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || !List.of("http", "https").contains(String.valueOf(uri.getScheme())) || uri.getHost() == null) {
            throw s.invalidOrInput(Input.HEALTH_URL, given.healthUrl().isPresent(), "health-url", "'" + url + "' must be an http:// or https:// URL such as"
                    + " http://127.0.0.1:8000/health/ (requested on the server)");
        }
        Duration timeout = given.healthTimeout().orElseGet(() -> s.get("health-timeout", s::duration, DEFAULT_HEALTH_TIMEOUT));
        Duration interval = given.healthInterval().orElseGet(() -> s.get("health-interval", s::duration, DEFAULT_HEALTH_INTERVAL));
        return new HealthCheck(uri, s.get("health-status", v -> s.number(v, 100, 599), 0), s.get("health-host", s::text, ""),
                s.get("health-body", s::text, ""), timeout, interval, s.get("health-successes", v -> s.number(v, 1, 100), 3));
    }

    /**
     * Input paths are relative to the working directory; deploy-config paths to the config file's directory. Null
     * for an env file that neither names.
     */
    private Path localFile(Optional<String> fromInput, EnvironmentSection s, Input input, String key, boolean compose) {
        String name = fromInput.orElseGet(() -> s.get(key, s::text, ""));
        if (name.isEmpty() && !compose) {
            return null;
        }
        Path base = fromInput.isPresent() ? workingDirectory : s.directory();
        if (name.isEmpty() && compose) {
            for (String candidate : List.of("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")) {
                if (Files.isRegularFile(base.resolve(candidate))) {
                    return base.resolve(candidate);
                }
            }
            throw new ActionException("Invalid input: compose-file", "There is no compose.yaml or docker-compose.yml in "
                    + base.toAbsolutePath().normalize() + ". Set 'compose-file' (or compose-file: in the"
                    + " environment's section) to your Compose file.");
        }
        Path file = base.resolve(name);
        if (!(fromInput.isPresent() ? workspace.containsInput(file) : workspace.contains(file))) {
            throw s.invalidOrInput(input, fromInput.isPresent(), key, "'" + name + "' " + workspace.outside());
        }
        if (!Files.isRegularFile(file)) {
            throw s.invalidOrInput(input, fromInput.isPresent(), key, "'" + name + "' must be a file ("
                    + file.toAbsolutePath().normalize() + " does not exist)");
        }
        return file;
    }

    private List<String> words(String command, EnvironmentSection s) {
        if (command.isBlank()) {
            return List.of();
        }
        try {
            return CommandLineWords.split(command);
        } catch (IllegalArgumentException e) {
            throw s.invalidOrInput(Input.MIGRATE_COMMAND, given.migrateCommand().isPresent(), "migrate-command", "'" + command + "' cannot be split into"
                    + " words: " + e.getMessage());
        }
    }

    static List<String> items(Value value) {
        return value.isList() ? value.list() : Arrays.stream(value.text().split(",")).map(String::strip)
                .filter(item -> !item.isEmpty()).toList();
    }
}
