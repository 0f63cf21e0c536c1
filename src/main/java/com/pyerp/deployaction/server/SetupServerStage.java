package com.pyerp.deployaction.server;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.DotEnv;
import com.pyerp.deployaction.action.EnvValues;
import com.pyerp.deployaction.action.Markdown;
import com.pyerp.deployaction.action.Workflow;
import com.pyerp.deployaction.config.SetupSettings;
import com.pyerp.deployaction.config.SetupTarget;
import com.pyerp.deployaction.ssh.CommandResult;
import com.pyerp.deployaction.ssh.HostKeyPolicy;
import com.pyerp.deployaction.ssh.OutputListener;
import com.pyerp.deployaction.ssh.RemoteCommand;
import com.pyerp.deployaction.ssh.RemoteShell;
import com.pyerp.deployaction.ssh.SshConnector;
import com.pyerp.deployaction.ssh.SshEndpoint;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@code command: setup-server}: log in to every host, learn each one's state with one read-only probe, plan every
 * step and check that the login may run what the plan needs; only when all hosts pass, change things, host by
 * host and step by step. A second probe afterwards must find nothing left to do.
 */
public final class SetupServerStage {

    private static final Duration PROBE_TIMEOUT = Duration.ofMinutes(1);
    private static final Duration APT_TIMEOUT = Duration.ofMinutes(15);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final Workflow workflow;
    private final Clock clock;

    public SetupServerStage(Workflow workflow, Clock clock) {
        this.workflow = workflow;
        this.clock = clock;
    }

    public void run(SetupSettings settings) {
        settings.source().entries().stream().map(DotEnv.Entry::value).filter(EnvValues::needsMask)
                .forEach(workflow::mask);
        workflow.mask(settings.sudoPassword());
        if (settings.target().registry() != null) {
            workflow.mask(SetupPlan.auth(settings.target().registry()));
        }
        SshConnector connector = settings.connector();
        List<RemoteShell> shells = new ArrayList<>();
        try {
            List<Prepared> servers = new ArrayList<>();
            for (SshEndpoint host : settings.hosts()) {
                RemoteShell shell = connector.connect(host, line -> workflow.warning("SSH", line),
                        line -> workflow.notice("Upload without SFTP", line));
                shells.add(shell);
                servers.add(prepare(settings, host, shell));
            }
            servers.forEach(server -> provision(settings.target(), server));
        } finally {
            shells.forEach(RemoteShell::close);
        }
    }

    /** A server whose state is read and whose steps are planned and allowed, with nothing changed yet. */
    private record Prepared(SshEndpoint host, RemoteShell shell, Privilege privilege, ServerState state,
            EnvMerge.Result env, byte[] content, byte[] source, String stamp, List<Step> steps) {}

    private Prepared prepare(SetupSettings settings, SshEndpoint host, RemoteShell shell) {
        SetupTarget target = settings.target();
        Privilege privilege = privilege(settings, host, shell);
        ServerState state = probe(shell, privilege, target);
        ServerOs.requireSupported(state.os(), host.host());
        SetupPlan.unsafeAppDir(target, state).ifPresent(problem -> {
            throw new ActionException("Unsafe app-dir", "Input 'app-dir' on " + host.host() + ": " + problem
                    + " Nothing was changed.");
        });
        SwarmPlan.refusal(target, state).ifPresent(problem -> {
            throw new ActionException("No swarm manager", "Input 'swarm' is init, but on " + host.host() + " "
                    + problem + " Nothing was changed.");
        });
        DotEnv existing = existingEnv(state, host, target);
        EnvMerge.Result env;
        try {
            env = EnvMerge.merge(settings.template(), settings.source(), existing, state.facts(), SecretGenerator.secure());
        } catch (EnvMerge.MissingRequired e) {
            throw new ActionException("Missing .env values", "The production .env needs a value for "
                    + String.join(", ", e.keys()) + " (marked required in env-template), and neither env-file nor the"
                    + " server's " + target.envPath() + " has one. Add " + (e.keys().size() == 1 ? "it" : "them")
                    + " to env-file. Nothing was changed on " + host.host() + ".");
        }
        env.secretValues().forEach(workflow::mask);
        env.values().stream().map(EnvMerge.Value::value).filter(EnvValues::needsMask).forEach(workflow::mask);
        byte[] content = env.content().getBytes(StandardCharsets.UTF_8);
        byte[] source = settings.sourceText().getBytes(StandardCharsets.UTF_8);
        String stamp = STAMP.format(clock.instant());
        List<Step> steps = SetupPlan.plan(target, state, privilege, content, source, stamp);
        requirePrivileges(steps, privilege, host);
        return new Prepared(host, shell, privilege, state, env, content, source, stamp, steps);
    }

    private void provision(SetupTarget target, Prepared server) {
        SshEndpoint host = server.host();
        workflow.info(host + ": " + server.state().os().describe() + ", logged in as " + host.user() + " ("
                + describe(server.privilege()) + ")");
        for (Step step : server.steps()) {
            workflow.info(String.format("%-15s %-9s %s", step.name(), step.outcome().label(), step.detail()));
            if (!step.actions().isEmpty()) {
                workflow.group(step.name() + " on " + host.host(), () -> step.actions().forEach(action ->
                        apply(server.shell(), server.privilege(), action)));
            }
        }
        ProxyPlan.notStarted(target, server.state()).ifPresent(text -> workflow.notice("Caddy not started",
                host.host() + ": " + text));
        SwarmPlan.notStarted(target, server.state()).ifPresent(text -> workflow.notice("Swarm not initialised",
                host.host() + ": " + text));
        workflow.info(".env keys: " + String.join(", ", server.env().values().stream().map(EnvMerge.Value::toString)
                .toList()));
        ServerState after = probe(server.shell(), server.privilege(), target);
        List<Step> left = SetupPlan.plan(target, after, server.privilege(), server.content(), server.source(),
                server.stamp()).stream().filter(step -> !step.actions().isEmpty()).toList();
        if (!left.isEmpty()) {
            throw new ActionException("Server setup incomplete", "After setup, " + host.host() + " still needs: "
                    + left.stream().map(step -> step.name() + " (" + step.detail() + ")").toList()
                    + ". Re-run with RUNNER_DEBUG=1 and check the step logs.");
        }
        if (after.swarm().manager()) {
            SwarmJoin.print(workflow, server.shell(), server.privilege(), host.host(), after.swarm());
        }
        summary(target, host, after, server.steps(), server.env());
    }

    /** Root, sudo (with or without the password), or the app user on its own. */
    private Privilege privilege(SetupSettings settings, SshEndpoint host, RemoteShell shell) {
        String appUser = settings.target().appUser();
        CommandResult id = shell.run(RemoteCommand.of("id", "-u").withTimeout(PROBE_TIMEOUT), OutputListener.SILENT);
        if (id.stdout().strip().equals("0")) {
            return new Privilege(Privilege.Mode.ROOT, host.user(), appUser, "");
        }
        if (shell.execute(RemoteCommand.of("sudo", "-k", "-n", "true").withTimeout(PROBE_TIMEOUT), OutputListener.SILENT)
                .succeeded()) {
            return new Privilege(Privilege.Mode.SUDO, host.user(), appUser, "");
        }
        if (!settings.sudoPassword().isEmpty()) {
            CommandResult sudo = shell.execute(RemoteCommand.of("sudo", "-k", "-S", "-p", "", "true")
                    .withStdin(settings.sudoPassword() + "\n").withTimeout(PROBE_TIMEOUT), OutputListener.SILENT);
            if (!sudo.succeeded()) {
                throw new ActionException("sudo refused", "'" + host.user() + "' on " + host.host() + " cannot use"
                        + " sudo with the given sudo-password (" + RemoteShell.lastLines(sudo.stderr(), 2) + "). Check"
                        + " 'sudo-password' and that the user may run commands as root. Nothing was changed.");
            }
            return new Privilege(Privilege.Mode.SUDO_PASSWORD, host.user(), appUser, settings.sudoPassword());
        }
        if (!host.user().equals(appUser)) {
            throw new ActionException("No root on the server", "'" + host.user() + "' on " + host.host() + " is not"
                    + " root and cannot use sudo without a password. Set 'ssh-user' to root, or set 'sudo-password'."
                    + " Nothing was changed.");
        }
        return new Privilege(Privilege.Mode.NONE, host.user(), appUser, "");
    }

    private static String describe(Privilege privilege) {
        return switch (privilege.mode()) {
            case ROOT -> "root";
            case SUDO -> "sudo";
            case SUDO_PASSWORD -> "sudo with password";
            case NONE -> "no root: only the app user's own files";
        };
    }

    private static ServerState probe(RemoteShell shell, Privilege privilege, SetupTarget target) {
        Action probe = new Action(privilege.rootElseApp(), ServerState.probe(target), new byte[0]);
        CommandResult result = shell.run(privilege.command(probe, PROBE_TIMEOUT), OutputListener.SILENT);
        return ServerState.parse(result.stdout());
    }

    private static DotEnv existingEnv(ServerState state, SshEndpoint host, SetupTarget target) {
        ServerState.FileState file = state.file("env");
        try {
            return DotEnv.parse(file == null ? "" : file.text(), host.host() + ":" + target.envPath());
        } catch (IllegalArgumentException e) {
            throw new ActionException("Unreadable .env on the server", e.getMessage() + ". setup-server keeps the values"
                    + " already there, so it must be able to read them: fix or remove that file. Nothing was changed.");
        }
    }

    private static void requirePrivileges(List<Step> steps, Privilege privilege, SshEndpoint host) {
        for (Step step : steps) {
            for (Action action : step.actions()) {
                if (!privilege.canRun(action.who())) {
                    throw new ActionException("No root on the server", "Step '" + step.name() + "' on " + host.host()
                            + " has to " + step.detail() + ", which needs root, but '" + host.user() + "' is not root"
                            + " and cannot use sudo. Connect as root or a sudo user (ssh-user, sudo-password)."
                            + " Nothing was changed.");
                }
            }
        }
    }

    private void apply(RemoteShell shell, Privilege privilege, Action action) {
        workflow.info("$ " + action);
        boolean apt = action.argv().contains("apt-get");
        shell.run(privilege.command(action, apt ? APT_TIMEOUT : PROBE_TIMEOUT),
                (stderr, line) -> workflow.untrusted("  " + line));
    }

    private void summary(SetupTarget target, SshEndpoint host, ServerState state, List<Step> steps,
            EnvMerge.Result env) {
        List<List<String>> hostKeys = new ArrayList<>();
        List<String> knownHosts = new ArrayList<>();
        for (String line : state.hostKeys()) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length < 2) {
                continue;
            }
            byte[] wire = Base64.getMimeDecoder().decode(fields[1]);
            hostKeys.add(List.of(fields[0], HostKeyPolicy.fingerprint(wire)));
            knownHosts.add((host.port() == 22 ? host.host() : "[" + host.host() + "]:" + host.port()) + " " + fields[0]
                    + " " + fields[1]);
        }
        StringBuilder summary = new StringBuilder(Markdown.heading("Server setup: " + host.host()));
        summary.append(Markdown.table(List.of("Step", "Result", "Details"), steps.stream()
                .map(step -> List.of(step.name(), step.outcome().label(), step.detail())).toList()));
        summary.append(Markdown.heading("Production .env (" + target.envPath() + ")"));
        summary.append(Markdown.table(List.of("Key", "Source"), env.values().stream()
                .map(value -> List.of(value.key(), value.origin().label() + (value.secret() ? " (secret)" : ""))).toList()));
        summary.append(Markdown.heading("Host keys"));
        summary.append(Markdown.table(List.of("Type", "SHA256 fingerprint"), hostKeys));
        summary.append(Markdown.heading("Repository secrets for the deploy workflow"));
        summary.append(Markdown.table(List.of("Secret", "Value"), List.of(
                List.of("SSH_HOST", host.host() + (host.port() == 22 ? "" : " (ssh-port " + host.port() + ")")),
                List.of("SSH_USER", target.appUser()),
                List.of("SSH_KEY", target.publicKey().isEmpty() ? "the private key of a key in ~" + target.appUser()
                        + "/.ssh/authorized_keys" : "the private key of app-public-key"),
                List.of("SSH_KNOWN_HOSTS", String.join("\n", knownHosts)))));
        workflow.summary(summary.toString());
        workflow.info("host keys: " + String.join(", ", hostKeys.stream().map(key -> key.get(0) + " " + key.get(1)).toList()));
        workflow.info("ssh-known-hosts for deploys:");
        knownHosts.forEach(line -> workflow.info("  " + line));
    }
}
