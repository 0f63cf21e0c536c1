package com.pyerp.deployaction.server;

import com.pyerp.deployaction.ssh.RemoteCommand;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How this login runs root's and the app user's actions.
 * <ul>
 *   <li>{@code ROOT}: logged in as root; the app user's actions through {@code runuser}.</li>
 *   <li>{@code SUDO}: a user whose sudo needs no password ({@code sudo -n}).</li>
 *   <li>{@code SUDO_PASSWORD}: sudo with the password from an askpass helper ({@code -A}). The password goes on
 *       stdin as its first line, which a shell reads itself and hands to the helper in its environment; sudo never
 *       reads stdin, so the password cannot reach the command, even when a sudoers rule such as
 *       {@code deploy ALL=(app) NOPASSWD: ALL} lets sudo skip the password (with {@code -S} it would then become the
 *       command's first line of input).</li>
 *   <li>{@code NONE}: no root; only the app user's own actions, and only when the login is the app user.</li>
 * </ul>
 */
public record Privilege(Mode mode, String login, String appUser, String sudoPassword) {

    public enum Mode { ROOT, SUDO, SUDO_PASSWORD, NONE }

    /**
     * {@code sh -c SUDO_WITH_ASKPASS sh SUDO-ARGUMENTS...}: the helper is a fresh 0700 file in the login's home (not
     * {@code /tmp}, which may be mounted noexec) that prints the password from the environment, so the password is
     * never on disk, and the file is removed when sudo ends. sudo's default {@code env_reset} keeps the variable from
     * the command it runs.
     */
    static final String SUDO_WITH_ASKPASS = """
            IFS= read -r PYERP_SUDO_PASSWORD || exit 1
            export PYERP_SUDO_PASSWORD
            SUDO_ASKPASS=$(mktemp "${HOME:-/tmp}/.pyerp-askpass.XXXXXX") || exit 1
            export SUDO_ASKPASS
            trap 'rm -f "$SUDO_ASKPASS"' EXIT
            printf '#!/bin/sh\nprintf "%%s\\n" "$PYERP_SUDO_PASSWORD"\n' > "$SUDO_ASKPASS" && chmod 700 "$SUDO_ASKPASS" || exit 1
            sudo -k -A "$@"
            """;

    @Override
    public String toString() {
        return "Privilege[" + mode + ", login " + login + ", app user " + appUser + "]";
    }

    public boolean hasRoot() {
        return mode != Mode.NONE;
    }

    /** Root where the login has it, else the app user: for what either can do, such as the probe and docker. */
    Action.Who rootElseApp() {
        return hasRoot() ? Action.Who.ROOT : Action.Who.APP;
    }

    /** Whether actions of {@code who} can run with this login. */
    public boolean canRun(Action.Who who) {
        return who == Action.Who.ROOT ? hasRoot() : hasRoot() || login.equals(appUser);
    }

    /** The remote command that runs {@code action} with the right identity, within {@code timeout}. */
    public RemoteCommand command(Action action, Duration timeout) {
        return RemoteCommand.of(argv(action)).withStdin(stdin(action)).withTimeout(timeout);
    }

    /** The argv that runs {@code action} with the right identity. */
    public List<String> argv(Action action) {
        if (!canRun(action.who())) {
            throw new IllegalStateException("cannot run " + action + " as " + login);
        }
        List<String> argv = new ArrayList<>(prefix(action.who()));
        argv.addAll(action.argv());
        return argv;
    }

    /** The stdin for {@code action}: the sudo password line first when the askpass wrapper reads it. */
    public byte[] stdin(Action action) {
        if (mode != Mode.SUDO_PASSWORD || self(action.who())) {
            return action.stdin();
        }
        byte[] password = (sudoPassword + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = action.stdin();
        byte[] all = Arrays.copyOf(password, password.length + body.length);
        System.arraycopy(body, 0, all, password.length, body.length);
        return all;
    }

    /** Whether the login itself is who runs it. */
    private boolean self(Action.Who who) {
        return who == Action.Who.APP ? login.equals(appUser) : mode == Mode.ROOT;
    }

    private List<String> prefix(Action.Who who) {
        if (self(who)) {
            return List.of();
        }
        List<String> as = who == Action.Who.APP ? List.of("-u", appUser, "--") : List.of("--");
        List<String> prefix = new ArrayList<>();
        switch (mode) {
            case ROOT -> prefix.addAll(List.of("runuser", "-u", appUser, "--"));
            case SUDO -> {
                prefix.addAll(List.of("sudo", "-n"));
                prefix.addAll(as);
            }
            case SUDO_PASSWORD -> {
                prefix.addAll(List.of("sh", "-c", SUDO_WITH_ASKPASS, "sh"));
                prefix.addAll(as);
            }
            case NONE -> throw new IllegalStateException("no root");
        }
        return prefix;
    }
}
