package com.pyerp.deployaction.ssh;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;

/**
 * Opens authenticated SSH connections ({@link SshConnection}) with strict host key checking.
 *
 * <pre>{@code
 * SshConnector connector = new SshConnector(SshKey.parse(keyText, passphrase),
 *         HostKeyPolicy.of(knownHosts, fingerprints), jumpHostOrNull, SshOptions.DEFAULTS);
 * try (SshConnection server = connector.connect(SshEndpoint.parse("deploy@example.com", "deploy", 22), log::warn,
 *         log::notice)) {
 *     server.run(RemoteCommand.of("docker", "info"), listener);
 * }
 * }</pre>
 *
 * <ul>
 *   <li>The host key is checked during the key exchange, before authentication; an unknown key refuses the
 *       connection with its fingerprint and how to pin it. An empty policy refuses before connecting.</li>
 *   <li>A jump host, when given, is reached first (same key, same host key policy), and the target through a
 *       direct-tcpip channel on it, like {@code ssh -J}.</li>
 *   <li>Failures to reach a host are retried with backoff ({@link SshOptions}); host key and authentication
 *       failures never are.</li>
 * </ul>
 */
public final class SshConnector {

    private final SshKey key;
    private final HostKeyPolicy policy;
    private final SshEndpoint jumpHost;
    private final SshOptions options;

    /** @param jumpHost the jump host, or null to connect directly */
    public SshConnector(SshKey key, HostKeyPolicy policy, SshEndpoint jumpHost, SshOptions options) {
        this.key = key;
        this.policy = policy;
        this.jumpHost = jumpHost;
        this.options = options;
    }

    /**
     * Connects and logs in, retrying connection failures.
     *
     * @param warn receives one line per retried failure
     * @param notice receives one line when the connection works around the server, such as uploads without SFTP
     * @throws SshException when the host cannot be reached, its key is not trusted, or the login is refused
     */
    public SshConnection connect(SshEndpoint target, Consumer<String> warn, Consumer<String> notice) {
        policy.requireFor(target.host(), target.port());
        if (jumpHost != null) {
            policy.requireFor(jumpHost.host(), jumpHost.port());
        }
        SshRuntime.prepare();
        Duration wait = options.backoff();
        for (int attempt = 1; ; attempt++) {
            try {
                return connectOnce(target, notice);
            } catch (SshException e) {
                if (!e.retryable() || attempt >= options.connectAttempts()) {
                    throw e;
                }
                warn.accept(e.getMessage() + " Retrying in " + wait.toSeconds() + " s (attempt " + (attempt + 1) + " of "
                        + options.connectAttempts() + ").");
                sleep(wait);
                wait = wait.multipliedBy(2);
            }
        }
    }

    private SshConnection connectOnce(SshEndpoint target, Consumer<String> notice) {
        SSHClient jump = jumpHost == null ? null : open(jumpHost, null);
        try {
            return new SshConnection(target, open(target, jump), jump, notice);
        } catch (RuntimeException e) {
            closeQuietly(jump);
            throw e;
        }
    }

    private SSHClient open(SshEndpoint endpoint, SSHClient via) {
        Set<String> refusedTypes = new HashSet<>();
        while (true) {
            DefaultConfig config = new DefaultConfig();
            config.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
            SSHClient client = new SSHClient(config);
            client.getConnection().getKeepAlive().setKeepAliveInterval((int) Math.max(1, options.keepAlive().toSeconds()));
            client.setConnectTimeout((int) options.connectTimeout().toMillis());
            HostKeyCheck check = new HostKeyCheck(policy, Set.copyOf(refusedTypes));
            client.addHostKeyVerifier(check);
            try {
                if (via == null) {
                    client.connect(endpoint.host(), endpoint.port());
                } else {
                    client.connectVia(via.newDirectConnection(endpoint.host(), endpoint.port()));
                }
            } catch (IOException e) {
                closeQuietly(client);
                if (check.refusedType() == null) {
                    throw unreachable(endpoint, via, e);
                }
                // A fingerprint says nothing about its key type: ask for the server's other key types too.
                if (policy.usesFingerprints() && refusedTypes.add(check.refusedType())
                        && refusedTypes.size() < 3) {
                    continue;
                }
                throw untrusted(endpoint, check);
            }
            try {
                client.authPublickey(endpoint.user(), key.provider());
                return client;
            } catch (UserAuthException e) {
                closeQuietly(client);
                throw new SshException("SSH login refused", "The server " + endpoint + " refused the login of '"
                        + endpoint.user() + "' with the " + key.type() + " key from 'ssh-key'. Add its public key"
                        + " (`ssh-keygen -y -f KEY`) to ~" + endpoint.user() + "/.ssh/authorized_keys on the server,"
                        + " or check 'ssh-user'.");
            } catch (TransportException e) {
                closeQuietly(client);
                throw unreachable(endpoint, via, e);
            }
        }
    }

    private static SshException untrusted(SshEndpoint endpoint, HostKeyCheck check) {
        return new SshException("Host key not trusted", "The host key of " + endpoint.host() + ":" + endpoint.port()
                + " is " + check.refusedType() + " " + check.refusedFingerprint() + ", which neither 'ssh-known-hosts'"
                + " nor 'ssh-fingerprint' lists, so the action refused to log in and ran nothing. If the server's key"
                + " changed on purpose, update them from `ssh-keyscan -p " + endpoint.port() + " " + endpoint.host()
                + "` after checking the fingerprint on the server (`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`);"
                + " otherwise something is intercepting the connection.");
    }

    private static SshException unreachable(SshEndpoint endpoint, SSHClient via, IOException e) {
        boolean retryable = e instanceof ConnectException || e instanceof SocketTimeoutException
                || e instanceof NoRouteToHostException || e instanceof TransportException
                || via != null && !(e instanceof UnknownHostException);
        String reason = e instanceof UnknownHostException ? "the host name does not resolve"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new SshException("SSH connection failed", "Cannot reach " + endpoint.host() + ":" + endpoint.port()
                + (via == null ? "" : " through the jump host") + ": " + reason + ". Check 'ssh-host', 'ssh-port' and"
                + " that the server's firewall lets the runner in.", e, retryable);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SshException("SSH connection failed", "Interrupted while waiting to reconnect.");
        }
    }

    static void closeQuietly(SSHClient client) {
        if (client != null) {
            try {
                client.close();
            } catch (IOException | RuntimeException ignored) {
                // already failing or finished; nothing left to release
            }
        }
    }
}
