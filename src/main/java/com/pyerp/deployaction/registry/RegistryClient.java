package com.pyerp.deployaction.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One repository of a registry over the distribution API, with one login: plain HTTP or HTTPS, the challenge of a
 * 401 answered (Basic credentials, or a bearer token with this client's scope from the challenge's realm, won again
 * when it has expired), and the authorization won kept for the next requests, from any thread. Redirects are
 * followed only by the GETs that say so, without the Authorization header: registries send blob downloads to
 * storage on another host, which must not get the registry's token.
 */
public final class RegistryClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
    /** How long a small request's answer (status, headers and body) may take once the request has gone. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(15);
    /** How long a streamed download may take to start; its body takes as long as the reader does. */
    private static final Duration STREAM_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration TOKEN_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_REDIRECTS = 5;
    private static final int MAX_TEXT = 64 * 1024;
    private static final int MAX_DOCUMENT = 16 * 1024 * 1024;

    /**
     * What a small request got back, its body cut at 16 MiB (64 KiB unless the status is 200).
     *
     * @param uri the request's, against which {@code location} is resolved
     * @param authorized whether the request carried an Authorization header, so whether a login was won
     */
    public record Response(URI uri, int status, String location, String digest, String contentType, byte[] body,
            boolean authorized) {

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The {@code Location} header resolved against the request; empty without one. */
        public Optional<URI> resolvedLocation() {
            return Optional.ofNullable(location).map(uri::resolve);
        }

        /** {@code HTTP 401} and the start of the registry's explanation, for messages. */
        public String describe() {
            String text = text().strip();
            return "HTTP " + status + (text.isEmpty() ? "" : " " + (text.length() > 300 ? text.substring(0, 300) : text));
        }
    }

    /** An answer, and when it is a 401 that stands, the token service's refusal behind it (or null). */
    private record Exchange<T>(HttpResponse<T> response, String refusal) {}

    /** The Authorization value to send again with, or null, and why there is none when a token service refused. */
    private record Grant(String authorization, String refusal) {
        @Override
        public String toString() {
            return "Grant[" + (authorization == null ? "none" : "(secret)") + ", " + refusal + "]";
        }
    }

    private final String repository;
    private final Optional<Credential> credential;
    private final String actions;
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    private volatile String authorization;

    /**
     * @param plainHttp HTTP instead of HTTPS, for registries listed in insecure-registries
     * @param actions the token scope's actions: {@code pull}, or {@code push,pull}
     */
    public RegistryClient(String registry, String repository, Optional<Credential> credential, boolean plainHttp,
            String actions) {
        this.repository = repository;
        this.credential = credential;
        this.actions = actions;
        this.base = URI.create((plainHttp ? "http://" : "https://") + registry + "/v2/" + repository + "/");
    }

    /** {@code path} below the repository, such as {@code manifests/latest} or {@code blobs/uploads/}. */
    public URI uri(String path) {
        return base.resolve(path);
    }

    /** One request, answering a 401's challenge; redirects are the caller's. */
    public Response send(String method, URI uri, String accept, Upload upload) throws IOException {
        return response(exchange(method, uri, accept, upload, ANSWER_TIMEOUT, RegistryClient::capped).response());
    }

    /** A GET that follows redirects, as a blob's to storage. */
    public Response fetch(String path) throws IOException {
        HttpResponse<byte[]> answer = exchange("GET", uri(path), null, null, ANSWER_TIMEOUT, RegistryClient::capped)
                .response();
        return response(redirected(answer, ANSWER_TIMEOUT, RegistryClient::capped));
    }

    /** A manifest or blob as it arrives, following redirects; the caller closes it. */
    public InputStream open(String path, String accept) throws IOException {
        URI uri = uri(path);
        HttpResponse.BodyHandler<InputStream> streamed = info -> info.statusCode() == 200
                ? HttpResponse.BodySubscribers.ofInputStream() : HttpResponse.BodySubscribers.replacing(null);
        Exchange<InputStream> exchange = exchange("GET", uri, accept, null, STREAM_TIMEOUT, streamed);
        if (exchange.refusal() != null) {
            throw new IOException(exchange.refusal());
        }
        HttpResponse<InputStream> response = redirected(exchange.response(), STREAM_TIMEOUT, streamed);
        if (response.statusCode() != 200) {
            throw new IOException("GET " + uri + " answered HTTP " + response.statusCode());
        }
        return response.body();
    }

    /**
     * Sends with the authorization won so far; on a 401, wins one for the challenge and sends again. A token won
     * earlier may have expired since (registries grant them for minutes): then a new one is won. The 401 stands
     * when there is nothing new to send.
     */
    private <T> Exchange<T> exchange(String method, URI uri, String accept, Upload upload, Duration timeout,
            HttpResponse.BodyHandler<T> body) throws IOException {
        String sent = authorization;
        HttpResponse<T> response = attempt(method, uri, accept, sent, upload, timeout, body);
        if (response.statusCode() != 401) {
            return new Exchange<>(response, null);
        }
        Grant grant = grant(response.headers().firstValue("WWW-Authenticate").orElse(null), timeout);
        if (grant.authorization() == null || grant.authorization().equals(sent)) {
            return new Exchange<>(response, grant.refusal());
        }
        authorization = grant.authorization();
        return new Exchange<>(attempt(method, uri, accept, grant.authorization(), upload, timeout, body), null);
    }

    /** Basic credentials, or a bearer token from the challenge's realm; nothing for a challenge this cannot answer. */
    private Grant grant(String challenge, Duration timeout) throws IOException {
        Optional<RegistryChallenge> answer = RegistryChallenge.of(challenge, repository, actions, credential);
        if (answer.isEmpty() || answer.get().tokenService() == null) {
            return new Grant(answer.map(RegistryChallenge::basic).orElse(null), null);
        }
        URI tokenService = answer.get().tokenService();
        // a token is a small answer: no longer than the request it is for may take
        Duration tokenTimeout = timeout.compareTo(TOKEN_TIMEOUT) < 0 ? timeout : TOKEN_TIMEOUT;
        HttpResponse<byte[]> token = attempt("GET", tokenService, null, answer.get().basic(), null, tokenTimeout,
                RegistryClient::capped);
        if (token.statusCode() != 200) {
            return new Grant(null, "the token service " + tokenService.getHost() + " answered HTTP " + token.statusCode());
        }
        return RegistryChallenge.bearer(new String(token.body(), StandardCharsets.UTF_8))
                .map(bearer -> new Grant(bearer, null))
                .orElseGet(() -> new Grant(null, "the token service " + tokenService.getHost() + " answered without a token"));
    }

    /** Follows up to five redirects, each resolved against the request that got it, without credentials. */
    private <T> HttpResponse<T> redirected(HttpResponse<T> response, Duration timeout, HttpResponse.BodyHandler<T> body)
            throws IOException {
        for (int redirects = 0; redirects < MAX_REDIRECTS && response.statusCode() / 100 == 3; redirects++) {
            Optional<String> location = response.headers().firstValue("Location");
            if (location.isEmpty()) {
                break;
            }
            response = attempt("GET", response.uri().resolve(location.get()), null, null, null, timeout, body);
        }
        return response;
    }

    private <T> HttpResponse<T> attempt(String method, URI uri, String accept, String authorization, Upload upload,
            Duration timeout, HttpResponse.BodyHandler<T> body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("User-Agent", "pyerp-deploy-action");
        if (accept != null) {
            request.header("Accept", accept);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        CompletableFuture<Void> sent = new CompletableFuture<>();
        if (upload == null) {
            sent.complete(null);
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", upload.contentType()).method(method, upload.publisher(() -> sent.complete(null)));
        }
        return await(http.sendAsync(request.build(), body), sent, timeout);
    }

    /** Waits for the answer: without limit while an upload is still going, then at most {@code timeout}. */
    private static <T> HttpResponse<T> await(CompletableFuture<HttpResponse<T>> response, CompletableFuture<Void> sent,
            Duration timeout) throws IOException {
        try {
            CompletableFuture.anyOf(response, sent).get();
            return response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            response.cancel(true);
            throw new HttpTimeoutException("request timed out");
        } catch (InterruptedException e) {
            response.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof UncheckedIOException unchecked ? unchecked.getCause() : e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(cause);
        }
    }

    private static HttpResponse.BodySubscriber<byte[]> capped(HttpResponse.ResponseInfo info) {
        return new CappedBody(info.statusCode() == 200 ? MAX_DOCUMENT : MAX_TEXT);
    }

    private static Response response(HttpResponse<byte[]> answer) {
        return new Response(answer.uri(), answer.statusCode(), answer.headers().firstValue("Location").orElse(null),
                answer.headers().firstValue("Docker-Content-Digest").orElse(null),
                answer.headers().firstValue("Content-Type").orElse(null), answer.body(),
                answer.request().headers().firstValue("Authorization").isPresent());
    }
}
