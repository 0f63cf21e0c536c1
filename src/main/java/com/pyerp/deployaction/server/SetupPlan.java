package com.pyerp.deployaction.server;

import com.pyerp.deployaction.action.JsonValue;
import com.pyerp.deployaction.config.SetupTarget;
import com.pyerp.deployaction.server.Step.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The provisioning steps, planned from the probed {@link ServerState} by pure functions: each step says whether
 * it will create, change or leave things, and lists the {@link Action}s that do it. Running the actions of all
 * steps in order brings the server to the target; a second plan from the new state is all {@code unchanged}.
 */
public final class SetupPlan {

    static final String DIRECTORY_MODE = "750";
    static final String FILE_MODE = "600";
    static final String APT_LOCK_WAIT = "DPkg::Lock::Timeout=300";
    private static final List<String> SUBDIRECTORIES = List.of("releases", "shared", "backups", "logs");

    private SetupPlan() {}

    /**
     * @param env the production .env to write
     * @param source the source env file's content, kept as .env.source
     * @param stamp names the backup of a replaced .env ({@code backups/.env.STAMP})
     */
    public static List<Step> plan(SetupTarget target, ServerState state, Privilege privilege, byte[] env, byte[] source,
            String stamp) {
        String home = state.user() != null ? state.user().home() : "/home/" + target.appUser();
        String group = state.user() != null ? state.user().primaryGroup() : target.appUser();
        List<Step> steps = new ArrayList<>();
        steps.add(user(target, state, home));
        steps.add(docker(state));
        steps.add(registry(target, state, home));
        steps.add(directories(target, state, group, privilege.hasRoot()));
        steps.add(file(".env", target.envPath(), env, state.file("env"), target, stamp));
        steps.add(source.length == 0 ? new Step(".env.source", Outcome.SKIPPED, "no env-file given", List.of())
                : file(".env.source", target.envSourcePath(), source, state.file("env_source"), target, null));
        steps.addAll(ProxyPlan.steps(target, state));
        steps.add(SwarmPlan.step(target, state, privilege));
        return List.copyOf(steps);
    }

    /**
     * Why app-dir cannot be handed to the app user, if it cannot: root would follow a link and give away its target, and
     * an existing directory of someone else's would be taken over.
     */
    public static Optional<String> unsafeAppDir(SetupTarget target, ServerState state) {
        if (!state.links().isEmpty()) {
            return Optional.of(state.links().get(0) + " is a symbolic link, and setup-server never follows one in app-dir:"
                    + " root would hand its target to the app user. Set app-dir to the real directory.");
        }
        for (Map.Entry<String, ServerState.FileState> directory : state.directories().entrySet()) {
            if (!directory.getValue().owner().equals(target.appUser())) {
                return Optional.of(directory.getKey() + " already exists and belongs to " + directory.getValue().owner()
                        + ", not to the app user " + target.appUser() + ". setup-server takes only a new directory or"
                        + " one the app user owns: choose a new app-dir such as /srv/" + target.appUser() + ", or, if"
                        + " that directory really is the app's, chown it to " + target.appUser() + " first.");
            }
        }
        ServerState.Parent parent = state.parent();
        if (!(parent.owner().equals("root") || parent.owner().equals(target.appUser())) || parent.writableByOthers()) {
            return Optional.of("app-dir's parent " + (parent.path().isEmpty() ? "directory" : parent.path() + " (owner "
                    + parent.owner() + ", mode " + parent.mode() + ")") + " may be written by others than root and the app"
                    + " user, who could put a link in app-dir's place. Choose an app-dir under a directory that only root"
                    + " (or the app user) may write, such as /srv.");
        }
        return Optional.empty();
    }

    static Step user(SetupTarget target, ServerState state, String home) {
        List<Action> actions = new ArrayList<>();
        List<String> done = new ArrayList<>();
        if (!state.dockerGroup()) {
            actions.add(Action.root("groupadd", "--system", "docker"));
        }
        Outcome outcome = Outcome.UNCHANGED;
        if (state.user() == null) {
            // "*" (not the default "!"): no password can match, yet the account is not "locked", which an
            // sshd without PAM would take as a reason to refuse even key logins.
            actions.add(Action.root("useradd", "--system", "--create-home", "--home-dir", home, "--shell", "/bin/bash",
                    "--user-group", "--groups", "docker", "--password", "*", target.appUser()));
            outcome = Outcome.CREATED;
            done.add("created system user " + target.appUser() + " (home " + home + ", no password login) in group docker");
        } else if (!state.user().groups().contains("docker")) {
            actions.add(Action.root("usermod", "--append", "--groups", "docker", target.appUser()));
            outcome = Outcome.CHANGED;
            done.add("added " + target.appUser() + " to group docker");
        }
        if (!target.publicKey().isEmpty()) {
            ServerState.FileState keys = state.file("authorized_keys");
            String existing = keys == null ? "" : keys.text();
            if (!listsKey(existing, target.publicKey())) {
                String content = existing.isEmpty() || existing.endsWith("\n") ? existing : existing + "\n";
                actions.add(Action.writeFile(home + "/.ssh/authorized_keys", FILE_MODE,
                        (content + target.publicKey().strip() + "\n").getBytes(StandardCharsets.UTF_8)));
                outcome = outcome == Outcome.UNCHANGED ? Outcome.CHANGED : outcome;
                done.add("added the deploy key to " + home + "/.ssh/authorized_keys");
            }
        }
        return new Step("app user", outcome, done.isEmpty() ? target.appUser() + " exists, is in group docker"
                + (target.publicKey().isEmpty() ? "" : " and has the deploy key") : String.join("; ", done), actions);
    }

    /** Whether authorized_keys content lists {@code key} (type and base64; comments and options aside). */
    static boolean listsKey(String authorizedKeys, String key) {
        String[] wanted = key.strip().split("\\s+");
        return authorizedKeys.lines().map(String::strip).filter(line -> !line.startsWith("#")).anyMatch(line -> {
            List<String> fields = Arrays.asList(line.split("\\s+"));
            int type = fields.indexOf(wanted[0]);
            return type >= 0 && type + 1 < fields.size() && fields.get(type + 1).equals(wanted[1]);
        });
    }

    static Step docker(ServerState state) {
        List<Action> actions = new ArrayList<>();
        List<String> packages = new ArrayList<>();
        List<String> wanted = ServerOs.dockerPackages(state.os());
        if (state.docker().isEmpty()) {
            packages.add(wanted.get(0));
        }
        if (state.compose().isEmpty()) {
            packages.add(wanted.get(1));
        }
        Outcome outcome = state.docker().isEmpty() ? Outcome.CREATED : packages.isEmpty() ? Outcome.UNCHANGED
                : Outcome.CHANGED;
        String detail = packages.isEmpty() ? state.docker() + "; " + state.compose() : "apt-get install " + String.join(" ", packages);
        actions.addAll(aptInstall(packages));
        if (!state.serviceManager()) {
            detail += state.dockerDaemon().isEmpty() ? "; no service manager, so the Docker daemon was not started"
                    : "; the Docker daemon " + state.dockerDaemon() + " is running (no service manager to enable it)";
        } else if (!packages.isEmpty() || !state.dockerService().equals("enabled active")) {
            actions.add(Action.root("systemctl", "enable", "--now", "docker"));
            outcome = outcome == Outcome.UNCHANGED ? Outcome.CHANGED : outcome;
            detail += "; systemctl enable --now docker";
        }
        return new Step("docker", outcome, detail, actions);
    }

    /** The actions that install {@code packages} from the distribution: none for none. */
    static List<Action> aptInstall(List<String> packages) {
        if (packages.isEmpty()) {
            return List.of();
        }
        List<String> install = new ArrayList<>(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "-o",
                APT_LOCK_WAIT, "install", "-y", "-q", "--no-install-recommends"));
        install.addAll(packages);
        // A fresh cloud server often runs unattended-upgrades at first boot: wait for its dpkg lock.
        return List.of(Action.root("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "-o", APT_LOCK_WAIT, "update", "-q"),
                new Action(Action.Who.ROOT, install, new byte[0]));
    }

    static Step registry(SetupTarget target, ServerState state, String home) {
        SetupTarget.Registry registry = target.registry();
        if (registry == null) {
            return new Step("registry login", Outcome.SKIPPED, "no registry-password given", List.of());
        }
        ServerState.FileState config = state.file("docker_config");
        String stored = config == null ? "" : storedAuth(config.text(), registry.configKey());
        String wanted = auth(registry);
        if (stored.equals(wanted) && config.mode().equals(FILE_MODE)) {
            return new Step("registry login", Outcome.UNCHANGED, registry.username() + " at " + registry.host()
                    + " in " + home + "/.docker/config.json", List.of());
        }
        List<Action> actions = List.of(
                new Action(Action.Who.APP, List.of("env", "HOME=" + home, "docker", "login", registry.host(), "--username",
                        registry.username(), "--password-stdin"), registry.password().getBytes(StandardCharsets.UTF_8)),
                Action.app("chmod", "700", home + "/.docker"),
                Action.app("chmod", FILE_MODE, home + "/.docker/config.json"));
        return new Step("registry login", stored.isEmpty() ? Outcome.CREATED : Outcome.CHANGED, "docker login "
                + registry.host() + " as " + registry.username() + " for " + target.appUser()
                + " (" + home + "/.docker/config.json, mode 0600)", actions);
    }

    /** What docker login stores for these credentials: base64 of {@code user:password}. */
    public static String auth(SetupTarget.Registry registry) {
        return Base64.getEncoder().encodeToString((registry.username() + ":" + registry.password())
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String storedAuth(String configJson, String key) {
        try {
            return JsonValue.parse(configJson).path("auths").path(key).path("auth").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    static Step directories(SetupTarget target, ServerState state, String group, boolean root) {
        List<String> paths = new ArrayList<>(List.of(target.appDir()));
        SUBDIRECTORIES.forEach(name -> paths.add(target.appDir() + "/" + name));
        List<String> wrong = paths.stream().filter(path -> {
            ServerState.FileState dir = state.directories().get(path);
            return dir == null || !dir.owner().equals(target.appUser()) || !dir.group().equals(group)
                    || !dir.mode().equals(DIRECTORY_MODE);
        }).toList();
        if (wrong.isEmpty()) {
            return new Step("directories", Outcome.UNCHANGED, target.appDir() + " with " + String.join(", ", SUBDIRECTORIES)
                    + " (" + target.appUser() + ":" + group + ", 0750)", List.of());
        }
        // Root makes only app-dir itself, and only in a parent only root may write; the app user makes the rest, so a
        // link planted anywhere the app user may write can never lead root anywhere.
        boolean rootMakesAppDir = root && state.parent().owner().equals("root");
        List<Action> actions = new ArrayList<>();
        List<String> inside = rootMakesAppDir ? paths.subList(1, paths.size()) : paths;
        if (rootMakesAppDir && wrong.contains(target.appDir())) {
            actions.add(Action.root("install", "-d", "-o", target.appUser(), "-g", group, "-m", "0" + DIRECTORY_MODE,
                    target.appDir()));
        }
        List<String> argv = new ArrayList<>(List.of("install", "-d", "-m", "0" + DIRECTORY_MODE));
        argv.addAll(inside);
        actions.add(new Action(Action.Who.APP, argv, new byte[0]));
        boolean created = !state.directories().containsKey(target.appDir());
        return new Step("directories", created ? Outcome.CREATED : Outcome.CHANGED, (created ? "created " : "fixed ")
                + String.join(", ", wrong) + " (" + target.appUser() + ":" + group + ", 0750)", List.copyOf(actions));
    }

    static Step file(String name, String path, byte[] content, ServerState.FileState existing, SetupTarget target,
            String backupStamp) {
        if (existing != null && Arrays.equals(existing.content(), content) && existing.mode().equals(FILE_MODE)
                && existing.owner().equals(target.appUser())) {
            return new Step(name, Outcome.UNCHANGED, path + " (0600)", List.of());
        }
        List<Action> actions = new ArrayList<>();
        String detail = (existing == null ? "wrote " : "rewrote ") + path + " (0600)";
        if (existing != null && backupStamp != null && !Arrays.equals(existing.content(), content)) {
            String backup = target.appDir() + "/backups/.env." + backupStamp;
            actions.add(Action.app("cp", "-p", path, backup));
            detail += "; the previous file is " + backup;
        }
        actions.add(Action.writeFile(path, FILE_MODE, content));
        return new Step(name, existing == null ? Outcome.CREATED : Outcome.CHANGED, detail, actions);
    }
}
