package com.pyerp.deployaction.image;

import com.google.api.client.http.HttpResponseException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.http.ResponseException;
import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;

/** Reads a Jib failure: is it worth retrying, and what should the user do about it. */
final class RegistryFailures {

    private static final long MAX_RETRY_AFTER_SECONDS = 60;

    private RegistryFailures() {}

    /** The HTTP status somewhere in the cause chain, or -1. */
    static int status(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ResponseException response) {
                return response.getStatusCode();
            }
            if (cause instanceof HttpResponseException response) {
                return response.getStatusCode();
            }
            if (cause instanceof RegistryUnauthorizedException unauthorized && unauthorized.getHttpResponseException() != null) {
                return unauthorized.getHttpResponseException().getStatusCode();
            }
        }
        return -1;
    }

    /** Connection resets, time-outs, 5xx, 429, 408 and ghcr.io's intermittent BLOB_UPLOAD_UNKNOWN. */
    static boolean isTransient(Throwable failure) {
        int status = status(failure);
        if (status >= 500 || status == 429 || status == 408) {
            return true;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof SocketException || cause instanceof EOFException
                    || cause instanceof InterruptedIOException || (cause instanceof SSLException && !isCertificateProblem(cause))
                    || String.valueOf(cause.getMessage()).contains("BLOB_UPLOAD_UNKNOWN")
                    // a retried PATCH after a reset refers to a stale upload session; a new attempt opens a fresh one
                    || String.valueOf(cause.getMessage()).contains("BLOB_UPLOAD_INVALID")
                    || cause.getClass().getSimpleName().equals("NoHttpResponseException")) {
                return true;
            }
        }
        return false;
    }

    /** How long the registry asked us to wait (Retry-After, in seconds), if it said. */
    static Optional<Duration> retryAfter(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpResponseException response && response.getHeaders() != null) {
                Object value = response.getHeaders().get("retry-after");
                String seconds = value instanceof Iterable<?> list && list.iterator().hasNext()
                        ? String.valueOf(list.iterator().next()) : String.valueOf(value);
                if (seconds.matches("\\d{1,4}")) {
                    return Optional.of(Duration.ofSeconds(Math.min(Long.parseLong(seconds), MAX_RETRY_AFTER_SECONDS)));
                }
            }
        }
        return Optional.empty();
    }

    /** The fix for a failure that retrying will not cure. */
    static String advice(Throwable failure, String registry, boolean ghcr) {
        int status = status(failure);
        String text = chainText(failure).toLowerCase(Locale.ROOT);
        boolean ghcrDenied = text.contains("permission_denied") || text.contains("not allowed to write");
        if (status == 401 || status == 403 || failure instanceof RegistryUnauthorizedException || ghcrDenied) {
            return permissionAdvice(registry, ghcr || ghcrDenied);
        }
        if (status == 404 || text.contains("manifest_unknown") || text.contains("name_unknown")) {
            return "An image was not found. Check the base image reference and that the credentials can read it.";
        }
        if (isCertificateProblem(failure)) {
            return "The TLS certificate of " + registry + " is not trusted. Add its CA to the runner's trust store,"
                    + " or for a test registry list it in insecure-registries.";
        }
        return "Check the registry address and that the runner can reach it.";
    }

    /** What to do when the registry refuses to let these credentials push. */
    static String permissionAdvice(String registry, boolean ghcr) {
        return ghcr
                ? "ghcr.io refused the push. Give the job `permissions: packages: write`; if the package already"
                        + " exists, add this repository under the package's settings, Manage Actions access, with the"
                        + " Write role. Pull requests from forks get a read-only token and cannot push (push: auto"
                        + " builds them to a tar instead)."
                : "The registry " + registry + " refused the credentials. Check registry-username and"
                        + " registry-password, or log in first with docker/login-action.";
    }

    /** Every message in the cause chain: the registry's own error text sits deep in it. */
    private static String chainText(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            text.append(cause.getMessage()).append('\n');
        }
        return text.toString();
    }

    static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                return cause.getMessage();
            }
        }
        return failure.getClass().getSimpleName();
    }

    static boolean isCertificateProblem(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            if (cause instanceof java.security.cert.CertificateException || message.contains("PKIX")
                    || message.contains("unable to find valid certification path")) {
                return true;
            }
        }
        return false;
    }
}
