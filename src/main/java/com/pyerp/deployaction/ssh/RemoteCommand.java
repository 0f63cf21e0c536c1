package com.pyerp.deployaction.ssh;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One command to run on a server, as data: built by pure functions, unit-tested without SSH, and run by
 * {@link RemoteShell#execute}.
 *
 * <ul>
 *   <li>{@code argv}: the program and its arguments; quoted with {@link ShellQuoting}, never interpreted.
 *       Put nothing secret here: argv is visible in the server's process list and in the log.</li>
 *   <li>{@code env}: variables set for the command only ({@code env K=V …}); also visible, so not for secrets.</li>
 *   <li>{@code directory}: where it runs ({@code cd DIR &&}); empty for the login directory.</li>
 *   <li>{@code stdin}: bytes written to the command's standard input and then closed. This is the one
 *       place for secrets (passwords for {@code --password-stdin}, file contents). Never printed.</li>
 *   <li>{@code timeout}: the server stops the command after this long ({@code timeout -k 10 N}).</li>
 * </ul>
 *
 * <p>Build with {@link #of}, then {@code withStdin}, {@code withEnv}, {@code in}, {@code withTimeout}.
 */
public record RemoteCommand(List<String> argv, Map<String, String> env, String directory, byte[] stdin,
        Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    /** Extra time the server grants after {@code timeout} before it sends KILL. */
    static final int KILL_AFTER_SECONDS = 10;

    public RemoteCommand {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a remote command needs a program");
        }
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
        Objects.requireNonNull(directory);
        stdin = stdin.clone();
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a remote command needs a positive timeout");
        }
    }

    public static RemoteCommand of(String... argv) {
        return of(Arrays.asList(argv));
    }

    public static RemoteCommand of(List<String> argv) {
        return new RemoteCommand(argv, Map.of(), "", new byte[0], DEFAULT_TIMEOUT);
    }

    public RemoteCommand withStdin(byte[] bytes) {
        return new RemoteCommand(argv, env, directory, bytes, timeout);
    }

    public RemoteCommand withStdin(String text) {
        return withStdin(text.getBytes(StandardCharsets.UTF_8));
    }

    public RemoteCommand withEnv(String name, String value) {
        Map<String, String> merged = new LinkedHashMap<>(env);
        merged.put(name, value);
        return new RemoteCommand(argv, merged, directory, stdin, timeout);
    }

    public RemoteCommand in(String newDirectory) {
        return new RemoteCommand(argv, env, newDirectory, stdin, timeout);
    }

    /** The same command run by {@code prefix}, for example a wrapper script whose last words are the command. */
    public RemoteCommand runBy(List<String> prefix) {
        List<String> wrapped = new ArrayList<>(prefix);
        wrapped.addAll(argv);
        return new RemoteCommand(wrapped, env, directory, stdin, timeout);
    }

    public RemoteCommand withTimeout(Duration newTimeout) {
        return new RemoteCommand(argv, env, directory, stdin, newTimeout);
    }

    @Override
    public byte[] stdin() {
        return stdin.clone();
    }

    /** The line sent to the server's shell. It holds argv, env and directory, never stdin. */
    public String shellLine() {
        List<String> words = new ArrayList<>();
        if (!env.isEmpty()) {
            words.add("env");
            env.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(entry -> words.add(entry.getKey() + "=" + entry.getValue()));
        }
        words.addAll(List.of("timeout", "-k", Integer.toString(KILL_AFTER_SECONDS), Long.toString(timeoutSeconds())));
        words.addAll(argv);
        String line = ShellQuoting.join(words);
        return directory.isEmpty() ? "exec " + line : "cd " + ShellQuoting.quote(directory) + " && exec " + line;
    }

    /** What the log shows: the command as a user would type it, without the timeout wrapper or stdin. */
    public String display() {
        StringBuilder text = new StringBuilder();
        env.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(entry -> text.append(ShellQuoting.quote(entry.getKey() + "=" + entry.getValue())).append(' '));
        text.append(ShellQuoting.join(argv));
        if (stdin.length > 0) {
            text.append(" < (").append(stdin.length).append(" bytes on stdin)");
        }
        return text.toString();
    }

    long timeoutSeconds() {
        return Math.max(1, (timeout.toMillis() + 999) / 1000);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RemoteCommand that && argv.equals(that.argv) && env.equals(that.env)
                && directory.equals(that.directory) && Arrays.equals(stdin, that.stdin) && timeout.equals(that.timeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(argv, env, directory, Arrays.hashCode(stdin), timeout);
    }

    @Override
    public String toString() {
        return "RemoteCommand[" + display() + ", timeout " + timeout + (directory.isEmpty() ? "" : ", in " + directory) + "]";
    }
}
