package com.pyerp.deployaction.ssh;

import com.pyerp.deployaction.action.ActionException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.sftp.SFTPException;

/**
 * One logged-in SSH connection, made by {@link SshConnector}: the executor of {@link RemoteCommand}s and the
 * atomic uploader, over SFTP or, where the server offers none, over the exec channel. Each command runs in its
 * own session (channel), so several threads may run commands on one connection at once. Close it when done; that
 * also closes the jump host connection.
 */
public final class SshConnection implements RemoteShell {

    /** How long the client waits beyond a command's server-side timeout before giving up on the channel. */
    private static final long GRACE_SECONDS = RemoteCommand.KILL_AFTER_SECONDS + 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SshEndpoint endpoint;
    private final SSHClient client;
    private final SSHClient jump;
    private final Consumer<String> notice;
    private volatile boolean sftpRefused;

    SshConnection(SshEndpoint endpoint, SSHClient client, SSHClient jump, Consumer<String> notice) {
        this.endpoint = endpoint;
        this.client = client;
        this.jump = jump;
        this.notice = notice;
    }

    @Override
    public String name() {
        return endpoint.toString();
    }

    public SshEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public CommandResult execute(RemoteCommand command, OutputListener listener) {
        Tail stdout = new Tail();
        Tail stderr = new Tail();
        try (Session session = client.startSession()) {
            Session.Command running = session.exec(command.shellLine());
            Thread out = pump(running.getInputStream(), false, listener, stdout);
            Thread err = pump(running.getErrorStream(), true, listener, stderr);
            try (OutputStream stdin = running.getOutputStream()) {
                stdin.write(command.stdin());
            } catch (IOException finishedFirst) {
                // The command ended before reading its input (or ignores it); its exit status tells the outcome.
            }
            try {
                running.join(command.timeoutSeconds() + GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (ConnectionException e) {
                if (client.isConnected() && running.isOpen()) {
                    throw new RemoteCommandException(command, null, "'" + command.display() + "' on " + name()
                            + " did not finish within " + (command.timeoutSeconds() + GRACE_SECONDS) + " s.");
                }
                throw e;
            }
            out.join(TimeUnit.SECONDS.toMillis(GRACE_SECONDS));
            err.join(TimeUnit.SECONDS.toMillis(GRACE_SECONDS));
            Integer status = running.getExitStatus();
            if (status == null) {
                String why = running.getExitSignal() != null ? "was killed by signal " + running.getExitSignal()
                        : "ended without an exit status (the connection was lost)";
                throw new RemoteCommandException(command, null, "'" + command.display() + "' on " + name() + " " + why + ".");
            }
            CommandResult result = new CommandResult(status, stdout.text(), stderr.text());
            if (result.timeoutMissing()) {
                throw new ActionException("Server not ready", name() + ": 'timeout' is not installed, and every remote"
                        + " command runs under it so that none can hang. Install coreutils (apt-get install coreutils).");
            }
            return result;
        } catch (IOException e) {
            throw new RemoteCommandException(command, null, "Lost the SSH connection to " + name() + " while running '"
                    + command.display() + "': " + e.getMessage() + ". The command may or may not have finished on the server.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteCommandException(command, null, "Interrupted while running '" + command.display() + "'.");
        }
    }

    @Override
    public void upload(byte[] content, String path, int mode) {
        RemoteUpload upload = RemoteUpload.to(path, mode, HexFormat.of().formatHex(RANDOM.generateSeed(6)));
        SFTPClient sftp = sftpRefused ? null : openSftp();
        if (sftp == null) {
            uploadOverExec(upload, content);
            return;
        }
        try (sftp) {
            // Created with the final mode, so the content is never readable by others, even for a moment.
            FileAttributes attributes = new FileAttributes.Builder().withPermissions(mode).build();
            try (RemoteFile file = sftp.open(upload.temporary(), EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.EXCL),
                    attributes); OutputStream out = file.new RemoteFileOutputStream(0)) {
                out.write(content);
            }
            sftp.chmod(upload.temporary(), mode);
        } catch (IOException e) {
            execute(upload.removeTemporary(), OutputListener.SILENT);
            throw new RemoteCommandException(RemoteCommand.of("sftp-put", path), null, upload.failure(causeOf(e), name(), endpoint.user(),
                    "over SFTP", String.valueOf(e.getMessage())));
        }
        run(upload.rename(), OutputListener.SILENT);
    }

    /** A new SFTP session, or null when the server refuses the subsystem (sshd without {@code Subsystem sftp}). */
    private SFTPClient openSftp() {
        try {
            return client.newSFTPClient();
        } catch (IOException e) {
            if (!client.isConnected()) {
                throw new RemoteCommandException(RemoteCommand.of("sftp"), null, "Lost the SSH connection to " + name()
                        + " while starting SFTP: " + e.getMessage() + ".");
            }
            sftpRefused = true;
            notice.accept(name() + " offers no SFTP (" + e.getMessage() + "), so files are uploaded over the SSH exec"
                    + " channel instead: on stdin into a temporary file with the same mode, then renamed into place.");
            return null;
        }
    }

    private void uploadOverExec(RemoteUpload upload, byte[] content) {
        CommandResult result = execute(upload.overExec(content), OutputListener.SILENT);
        if (!result.succeeded()) {
            String detail = RemoteShell.lastLines(result.stderr().isBlank() ? result.stdout() : result.stderr(), 3);
            throw new RemoteCommandException(upload.overExec(new byte[0]), result, upload.failure(
                    RemoteUpload.causeOfExit(result.exitStatus()), name(), endpoint.user(), "over the exec channel", detail));
        }
    }

    private static RemoteUpload.Cause causeOf(IOException e) {
        if (e instanceof SFTPException sftp) {
            if (sftp.getStatusCode() == Response.StatusCode.NO_SUCH_FILE) {
                return RemoteUpload.Cause.MISSING_DIRECTORY;
            }
            if (sftp.getStatusCode() == Response.StatusCode.PERMISSION_DENIED) {
                return RemoteUpload.Cause.PERMISSION_DENIED;
            }
        }
        return RemoteUpload.Cause.OTHER;
    }

    @Override
    public void close() {
        SshConnector.closeQuietly(client);
        SshConnector.closeQuietly(jump);
    }

    private static Thread pump(InputStream stream, boolean isStderr, OutputListener listener, Tail tail) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    tail.add(line);
                    listener.line(isStderr, line);
                }
            } catch (IOException ignored) {
                // the channel closed under us; execute() reports the missing exit status
            }
        }, "ssh-output");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** The last {@value RemoteShell#CAPTURE_LIMIT} characters of a stream. */
    private static final class Tail {
        private final StringBuilder text = new StringBuilder();

        synchronized void add(String line) {
            text.append(line).append('\n');
            if (text.length() > CAPTURE_LIMIT) {
                text.delete(0, text.length() - CAPTURE_LIMIT);
            }
        }

        synchronized String text() {
            return text.toString();
        }
    }
}
