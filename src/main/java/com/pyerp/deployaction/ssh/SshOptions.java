package com.pyerp.deployaction.ssh;

import java.time.Duration;

/**
 * Connection tuning.
 *
 * @param connectTimeout how long one TCP connect plus handshake may take
 * @param keepAlive interval of {@code keepalive@openssh.com} probes; after 5 unanswered ones the connection
 *     counts as dropped, so a vanished server fails the running command instead of hanging
 * @param connectAttempts attempts for failures to reach the server (refused, timed out, reset before the
 *     handshake finished); host key and authentication failures are never retried
 * @param backoff the wait before the second attempt, doubled for each further one
 */
public record SshOptions(Duration connectTimeout, Duration keepAlive, int connectAttempts, Duration backoff) {

    public static final SshOptions DEFAULTS =
            new SshOptions(Duration.ofSeconds(20), Duration.ofSeconds(15), 3, Duration.ofSeconds(2));

    public SshOptions {
        if (connectAttempts < 1) {
            throw new IllegalArgumentException("connectAttempts must be at least 1");
        }
    }
}
