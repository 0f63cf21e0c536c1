package com.pyerp.deployaction.registry;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.JsonValue;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The logins that {@code docker login} (and so docker/login-action) left in {@code $DOCKER_CONFIG/config.json}, else
 * {@code ~/.docker/config.json}. For a registry it tries the {@code credHelpers} entry, then the {@code auths} entry,
 * then the {@code credsStore} helper. (Docker and Jib ask the credsStore before auths, but {@code docker login} with a
 * credsStore leaves only an empty placeholder in auths, so the orders differ only for stale auths entries.) An entry
 * applies only to the registry its key names, in any form Docker writes, such as {@code https://ghcr.io/v1/}.
 */
public final class DockerConfig {

    private static final Set<String> DOCKER_HUB =
            Set.of("docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com");
    /** The key under which {@code docker login} stores Docker Hub logins. */
    private static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";
    /** {@code az acr login} and Docker store an identity token with this user and an empty password. */
    private static final String IDENTITY_TOKEN_USER_IN_AUTH = "00000000-0000-0000-0000-000000000000";
    /** What credential helpers print when they hold nothing for the server. */
    private static final String HELPER_NOT_FOUND = "credentials not found in native keychain";
    private static final Duration HELPER_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> EXECUTABLE_SUFFIXES =
            System.getProperty("os.name", "").startsWith("Windows") ? List.of(".exe", ".cmd", "") : List.of("");

    record Config(Map<String, Auth> auths, Map<String, String> credHelpers, String credsStore) {
        Config {
            auths = auths == null ? Map.of() : Collections.unmodifiableMap(auths);
            credHelpers = credHelpers == null ? Map.of() : Collections.unmodifiableMap(credHelpers);
        }
    }

    record Auth(String auth, String username, String password, String identityToken) {
        @Override
        public String toString() {
            return "Auth[" + username + "]";
        }
    }

    record HelperAnswer(String username, String secret) {
        @Override
        public String toString() {
            return "HelperAnswer[" + username + "]";
        }
    }

    private final Path file;
    private final Config config;
    private final Map<String, String> env;
    private final Duration helperTimeout;
    private final Map<String, Optional<Credential>> answers = new ConcurrentHashMap<>();

    private DockerConfig(Path file, Config config, Map<String, String> env, Duration helperTimeout) {
        this.file = file;
        this.config = config;
        this.env = env;
        this.helperTimeout = helperTimeout;
    }

    /**
     * Reads the config file named by {@code env} ({@code DOCKER_CONFIG}, else {@code HOME}); a missing file is an
     * empty config. {@code env} is also the environment credential helpers run in, and its {@code PATH} finds them.
     */
    public static DockerConfig load(Map<String, String> env) {
        return load(env, HELPER_TIMEOUT);
    }

    static DockerConfig load(Map<String, String> env, Duration helperTimeout) {
        Path file = configFile(env);
        return new DockerConfig(file, read(file), Map.copyOf(env), helperTimeout);
    }

    private static Path configFile(Map<String, String> env) {
        String dockerConfig = env.get("DOCKER_CONFIG");
        if (dockerConfig != null && !dockerConfig.isBlank()) {
            return Path.of(dockerConfig, "config.json");
        }
        String home = env.get("HOME");
        String directory = home != null && !home.isBlank() ? home : System.getProperty("user.home");
        return Path.of(directory, ".docker", "config.json");
    }

    private static Config read(Path file) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Config(null, null, null);
        } catch (IOException e) {
            String reason = e instanceof AccessDeniedException ? "permission denied" : e.getMessage();
            throw new ActionException("Docker config unreadable", "Could not read the Docker config " + file + " ("
                    + reason + "). Make it a readable file, or set DOCKER_CONFIG to a directory holding a readable"
                    + " config.json.");
        }
        if (new String(content, StandardCharsets.UTF_8).isBlank()) {
            return new Config(null, null, null);
        }
        String where = "";
        try {
            return config(JsonValue.parse(new String(content, StandardCharsets.UTF_8)));
        } catch (JsonValue.SyntaxError e) {
            // Where, never what: the file's text can hold passwords.
            where = " (line " + e.line() + ", column " + e.column() + ")";
        } catch (WrongType e) {
            // the message below fits: a value of the wrong type is not Docker's format
        }
        throw new ActionException("Invalid Docker config", "The Docker config " + file + " is not valid JSON in"
                + " Docker's config format" + where + ". Fix or delete it, then log in again with docker/login-action.");
    }

    /** A value whose JSON type does not fit Docker's config format. */
    private static final class WrongType extends Exception {
        WrongType() {
            super(null, null, false, false);
        }
    }

    /** Docker's config format; unknown keys are ignored, as Docker ignores them. */
    private static Config config(JsonValue root) throws WrongType {
        if (!root.isPresent()) {
            return new Config(null, null, null);
        }
        if (!root.isObject()) {
            throw new WrongType();
        }
        Map<String, Auth> auths = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> entry : members(root, "auths").entrySet()) {
            JsonValue auth = entry.getValue();
            if (auth.isPresent() && !auth.isObject()) {
                throw new WrongType();
            }
            if (auth.isPresent()) {
                auths.put(entry.getKey(), new Auth(text(auth, "auth"), text(auth, "username"), text(auth, "password"),
                        text(auth, "identityToken")));
            }
        }
        Map<String, String> credHelpers = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> entry : members(root, "credHelpers").entrySet()) {
            String helper = text(entry.getValue());
            if (helper != null) {
                credHelpers.put(entry.getKey(), helper);
            }
        }
        return new Config(auths, credHelpers, text(root, "credsStore"));
    }

    /** The object under {@code name}, none if it is missing or null. */
    private static Map<String, JsonValue> members(JsonValue object, String name) throws WrongType {
        JsonValue value = field(object, name);
        if (value.isPresent() && !value.isObject()) {
            throw new WrongType();
        }
        return value.members();
    }

    /** The scalar under {@code name} as text (numbers and booleans as written), null if it is missing or null. */
    private static String text(JsonValue object, String name) throws WrongType {
        return text(field(object, name));
    }

    private static String text(JsonValue value) throws WrongType {
        if (value.isObject() || value.isArray()) {
            throw new WrongType();
        }
        return value.asText(null);
    }

    /** Go's encoding/json, which Docker reads config.json with, matches a key exactly or else ignoring case. */
    private static JsonValue field(JsonValue object, String name) {
        JsonValue exact = object.path(name);
        if (!exact.isMissing()) {
            return exact;
        }
        return object.members().entrySet().stream()
                .filter(member -> member.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(JsonValue.MISSING);
    }

    /**
     * The login for pulling from {@code registry}: the one stored for it, else the target's own when it is the
     * target registry. Credentials go only to the registry they belong to.
     */
    public Optional<Credential> pullCredential(String registry, String targetRegistry, Optional<Credential> target) {
        Optional<Credential> stored = credentialFor(registry);
        return stored.isPresent() || !registry.equals(targetRegistry) ? stored : target;
    }

    /**
     * The login stored for {@code registry} (a {@code host[:port]}), or empty to go anonymously. Asked once per
     * registry: a build needs it in several places, and each question to a credential helper starts a process.
     */
    public Optional<Credential> credentialFor(String registry) {
        return answers.computeIfAbsent(registry, this::lookUp);
    }

    private Optional<Credential> lookUp(String registry) {
        return entryFor(config.credHelpers(), registry)
                .flatMap(helper -> fromHelper(helper.getValue(), helper.getKey(), registry, "credHelpers"))
                .or(() -> entryFor(config.auths(), registry).flatMap(auth -> fromAuth(auth.getKey(), auth.getValue())))
                .or(() -> Optional.ofNullable(config.credsStore())
                        .filter(store -> !store.isBlank())
                        .flatMap(store -> fromHelper(store, dockerKey(registry), registry, "credsStore")));
    }

    /** The entry whose key is exactly the key Docker would use, else the first whose key names the same registry. */
    private static <T> Optional<Map.Entry<String, T>> entryFor(Map<String, T> entries, String registry) {
        String exactKey = dockerKey(registry);
        if (entries.get(exactKey) != null) {
            return Optional.of(Map.entry(exactKey, entries.get(exactKey)));
        }
        String host = canonicalHost(registry);
        return entries.entrySet().stream()
                .filter(entry -> entry.getValue() != null && canonicalHost(hostOf(entry.getKey())).equals(host))
                .findFirst();
    }

    private static String dockerKey(String registry) {
        return DOCKER_HUB.contains(registry) ? DOCKER_HUB_KEY : registry;
    }

    /** {@code https://ghcr.io/v1/} → {@code ghcr.io}, as Docker's ConvertToHostname. */
    private static String hostOf(String key) {
        String host = key.replaceFirst("^https?://", "");
        int slash = host.indexOf('/');
        return slash < 0 ? host : host.substring(0, slash);
    }

    private static String canonicalHost(String host) {
        return DOCKER_HUB.contains(host) ? "docker.io" : host;
    }

    private Optional<Credential> fromAuth(String key, Auth entry) {
        String source = "docker config.json auths \"" + key + "\"";
        String username;
        String password;
        if (entry.auth() != null && !entry.auth().isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(entry.auth()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                decoded = "";
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new ActionException("Invalid Docker config", "The \"auth\" value of auths entry \"" + key
                        + "\" in " + file + " is not base64 of user:password. Log in again with docker/login-action, or"
                        + " delete that entry.");
            }
            username = decoded.substring(0, colon);
            password = decoded.substring(colon + 1);
        } else if (entry.username() != null && entry.password() != null) {
            username = entry.username();
            password = entry.password();
        } else {
            return Optional.empty();
        }
        if (entry.identityToken() != null && IDENTITY_TOKEN_USER_IN_AUTH.equals(username) && password.isEmpty()) {
            return Optional.of(
                    new Credential(Credential.IDENTITY_TOKEN_USER, entry.identityToken(), source + " identitytoken"));
        }
        return Optional.of(new Credential(username, password, source));
    }

    /** Runs {@code docker-credential-<name> get}; empty when the helper holds nothing for {@code serverUrl}. */
    private Optional<Credential> fromHelper(String name, String serverUrl, String registry, String origin) {
        String program = "docker-credential-" + name;
        String context = "Could not get credentials for " + registry + " from " + program + " (" + origin + " in "
                + file + "): ";
        String fix = ". Install or fix " + program + " on the runner, or remove it from that file and log in with"
                + " docker/login-action.";
        Path executable = onPath(program).orElseThrow(() -> new ActionException(
                "Docker credential helper not found", context + "it is not on the PATH" + fix));
        ProcessBuilder builder = new ProcessBuilder(executable.toString(), "get");
        builder.environment().putAll(env);
        // Action inputs arrive as INPUT_* variables and include other registries' passwords.
        builder.environment().keySet().removeIf(variable -> variable.startsWith("INPUT_"));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new ActionException("Docker credential helper failed",
                    context + "it could not be started (" + e.getMessage() + ")" + fix);
        }
        try {
            CompletableFuture<byte[]> stdout = readAsync(process.getInputStream());
            CompletableFuture<byte[]> stderr = readAsync(process.getErrorStream());
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(serverUrl.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // The helper quit without reading the server URL; its exit code tells what happened.
            }
            if (!process.waitFor(helperTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ActionException("Docker credential helper failed",
                        context + "it did not answer within " + helperTimeout.toSeconds() + " s" + fix);
            }
            // Never quote stdout in messages: it may hold the secret.
            String answer = new String(stdout.join(), StandardCharsets.UTF_8);
            if (answer.contains(HELPER_NOT_FOUND)) {
                return Optional.empty();
            }
            if (process.exitValue() != 0) {
                String errors = new String(stderr.join(), StandardCharsets.UTF_8).strip();
                throw new ActionException("Docker credential helper failed", context + "it exited with code "
                        + process.exitValue() + (errors.isEmpty() ? "" : ": " + abbreviate(errors)) + fix);
            }
            HelperAnswer parsed = parse(answer).orElseThrow(() -> new ActionException("Docker credential helper failed",
                    context + "it did not print the JSON object {\"Username\": …, \"Secret\": …} that credential"
                            + " helpers answer with" + fix));
            // Jib also takes an answer without a user name or secret for "nothing stored".
            if (isEmpty(parsed.username()) || isEmpty(parsed.secret())) {
                return Optional.empty();
            }
            return Optional.of(new Credential(parsed.username(), parsed.secret(), program + " (" + origin + ")"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ActionException(
                    "Docker credential helper failed", context + "interrupted while waiting for it" + fix, e);
        } finally {
            process.destroyForcibly();
        }
    }

    private static Optional<HelperAnswer> parse(String answer) {
        try {
            JsonValue json = JsonValue.parse(answer);
            return json.isObject()
                    ? Optional.of(new HelperAnswer(text(json, "Username"), text(json, "Secret")))
                    : Optional.empty();
        } catch (JsonValue.SyntaxError | WrongType e) {
            return Optional.empty();
        }
    }

    private Optional<Path> onPath(String program) {
        return Arrays.stream(env.getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(directory -> !directory.isEmpty())
                .flatMap(directory -> EXECUTABLE_SUFFIXES.stream().map(suffix -> Path.of(directory, program + suffix)))
                .filter(candidate -> Files.isRegularFile(candidate) && Files.isExecutable(candidate))
                .findFirst();
    }

    private static CompletableFuture<byte[]> readAsync(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static boolean isEmpty(String text) {
        return text == null || text.isEmpty();
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}
