package com.pyerp.deployaction.config;

import java.net.URI;
import java.time.Duration;

/**
 * How a release proves it works: {@code url} is requested on the server until it answers {@code status}
 * (any 2xx when it is 0) and contains {@code body}, when set, {@code successes} times in a row, every {@code interval}, for at most
 * {@code timeout}. {@code host} overrides the Host header (Django's ALLOWED_HOSTS rejects {@code 127.0.0.1}).
 */
public record HealthCheck(URI url, int status, String host, String body, Duration timeout, Duration interval,
        int successes) {

    public boolean accepts(int answered) {
        return status == 0 ? answered >= 200 && answered < 300 : answered == status;
    }

    public String expected() {
        return status == 0 ? "2xx" : Integer.toString(status);
    }

    /** How long one request may take. */
    public Duration requestTimeout() {
        long seconds = Math.max(1, Math.min(10, interval.toSeconds() * 2));
        return Duration.ofSeconds(seconds);
    }
}
