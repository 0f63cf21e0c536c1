package com.pyerp.deployaction.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The registry client against small HTTP servers on 127.0.0.1 standing in for a registry, its token service and storage. */
class RegistryClientTest {

    private static final Optional<Credential> LOGIN = Optional.of(new Credential("ci", "s3cret", "test"));
    private static final String BASIC = "Basic Y2k6czNjcmV0";

    /** A request as the assertions compare it. */
    private record Seen(String uri, String authorization) {
        static List<Seen> of(LoopbackServer server) {
            return server.requests().stream().map(request -> new Seen(request.uri(), request.authorization())).toList();
        }
    }

    @Test
    void aBearerChallengeIsAnsweredWithATokenOfTheClientsScopeThatIsKept() throws IOException {
        try (LoopbackServer tokens = new LoopbackServer(exchange -> LoopbackServer.answer(exchange, 200,
                "{\"access_token\":\"t1\"}"));
                LoopbackServer registry = new LoopbackServer(exchange -> {
                    exchange.getResponseHeaders().add("WWW-Authenticate", bearer(tokens));
                    exchange.getResponseHeaders().add("Docker-Content-Digest", "sha256:abc");
                    LoopbackServer.answer(exchange, authorization(exchange).equals("Bearer t1") ? 200 : 401, "");
                })) {
            RegistryClient client = new RegistryClient(registry.address(), "acme/app", LOGIN, true, "pull");

            RegistryClient.Response answer = client.send("HEAD", client.uri("manifests/v1"), "application/json", null);
            RegistryClient.Response again = client.send("HEAD", client.uri("manifests/v2"), null, null);

            assertEquals(200, answer.status());
            assertEquals("sha256:abc", answer.digest());
            assertTrue(answer.authorized());
            assertEquals(200, again.status());
            assertEquals(List.of(new Seen("/token?scope=repository%3Aacme%2Fapp%3Apull&service=test", BASIC)),
                    Seen.of(tokens), "the credentials go to the token service");
            assertEquals(List.of(new Seen("/v2/acme/app/manifests/v1", null), new Seen("/v2/acme/app/manifests/v1",
                    "Bearer t1"), new Seen("/v2/acme/app/manifests/v2", "Bearer t1")), Seen.of(registry));
        }
    }

    @Test
    void aBasicChallengeIsAnsweredWithTheCredentialsAndNotTriedTwiceWhenRefused() throws IOException {
        try (LoopbackServer registry = new LoopbackServer(exchange -> {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"Registry\"");
            LoopbackServer.answer(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");
        })) {
            RegistryClient client = new RegistryClient(registry.address(), "acme/app", LOGIN, true, "push,pull");

            RegistryClient.Response answer = client.send("GET", client.uri("manifests/v1"), null, null);
            RegistryClient.Response next = client.send("GET", client.uri("manifests/v1"), null, null);

            assertEquals("HTTP 401 {\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}", answer.describe());
            assertTrue(answer.authorized());
            assertTrue(next.authorized());
            assertEquals(List.of(new Seen("/v2/acme/app/manifests/v1", null), new Seen("/v2/acme/app/manifests/v1", BASIC),
                    new Seen("/v2/acme/app/manifests/v1", BASIC)), Seen.of(registry));
        }
    }

    @Test
    void aTokenServicesRefusalLeavesThe401ToSendAndIsTheErrorOfOpen() throws IOException {
        assertEquals("the token service 127.0.0.1 answered HTTP 403", refusedByTokenService(403, ""));
        assertEquals("the token service 127.0.0.1 answered without a token", refusedByTokenService(200, "{}"));
    }

    /** What {@code open} says when the token service answers so, after {@code send} got the 401 itself. */
    private static String refusedByTokenService(int status, String answer) throws IOException {
        try (LoopbackServer tokens = new LoopbackServer(exchange -> LoopbackServer.answer(exchange, status, answer));
                LoopbackServer registry = new LoopbackServer(exchange -> {
                    exchange.getResponseHeaders().add("WWW-Authenticate", bearer(tokens));
                    LoopbackServer.answer(exchange, 401, "login first");
                })) {
            RegistryClient client = new RegistryClient(registry.address(), "acme/app", Optional.empty(), true, "pull");

            RegistryClient.Response sent = client.send("POST", client.uri("blobs/uploads/"), null, null);
            assertEquals("HTTP 401 login first", sent.describe());
            assertFalse(sent.authorized());
            return assertThrows(IOException.class, () -> client.open("manifests/v1", "*/*")).getMessage();
        }
    }

    @Test
    void aBlobRedirectedToStorageIsFetchedThereWithoutTheRegistrysAuthorization() throws IOException {
        byte[] blob = "layer bytes".getBytes(StandardCharsets.UTF_8);
        try (LoopbackServer storage = new LoopbackServer(exchange -> {
            if (exchange.getRequestURI().getPath().equals("/signed/blob")) {
                exchange.getResponseHeaders().add("Location", "final?sig=2");
                LoopbackServer.answer(exchange, 302, "");
            } else {
                LoopbackServer.answer(exchange, 200, blob);
            }
        });
                LoopbackServer registry = new LoopbackServer(exchange -> {
                    if (!authorization(exchange).equals(BASIC)) {
                        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"Registry\"");
                        LoopbackServer.answer(exchange, 401, "");
                        return;
                    }
                    exchange.getResponseHeaders().add("Location", "http://" + storage.address() + "/signed/blob?sig=1");
                    LoopbackServer.answer(exchange, 307, "");
                })) {
            RegistryClient client = new RegistryClient(registry.address(), "acme/app", LOGIN, true, "pull");

            RegistryClient.Response fetched = client.fetch("blobs/sha256:1");
            byte[] streamed;
            try (InputStream in = client.open("blobs/sha256:1", "*/*")) {
                streamed = in.readAllBytes();
            }

            assertEquals(200, fetched.status());
            assertArrayEquals(blob, fetched.body());
            assertArrayEquals(blob, streamed);
            List<Seen> twice = List.of(new Seen("/signed/blob?sig=1", null), new Seen("/signed/final?sig=2", null));
            assertEquals(List.of(twice.get(0), twice.get(1), twice.get(0), twice.get(1)), Seen.of(storage),
                    "each Location resolved against the request that got it, and no credentials to storage");
        }
    }

    @Test
    void sendFollowsNoRedirectAndOpenNamesTheRequestThatFailed() throws IOException {
        try (LoopbackServer registry = new LoopbackServer(exchange -> {
            exchange.getResponseHeaders().add("Location", "uploads/1?state=x");
            LoopbackServer.answer(exchange, exchange.getRequestMethod().equals("POST") ? 202 : 404, "");
        })) {
            RegistryClient client = new RegistryClient(registry.address(), "acme/app", Optional.empty(), true, "pull");

            RegistryClient.Response session = client.send("POST", client.uri("blobs/uploads/"), null,
                    Upload.of("application/octet-stream", new byte[0]));
            IOException missing = assertThrows(IOException.class, () -> client.open("manifests/v9", "*/*"));

            assertEquals(202, session.status());
            assertEquals(Optional.of(URI.create("http://" + registry.address() + "/v2/acme/app/blobs/uploads/uploads/1?state=x")),
                    session.resolvedLocation());
            assertEquals("0", registry.requests().get(0).contentLength());
            assertEquals("GET http://" + registry.address() + "/v2/acme/app/manifests/v9 answered HTTP 404",
                    missing.getMessage());
        }
    }

    @Test
    void aBodyIsCutAtItsCap() throws IOException {
        try (LoopbackServer registry = new LoopbackServer(exchange -> LoopbackServer.answer(exchange,
                exchange.getRequestURI().getPath().endsWith("big") ? 200 : 500, new byte[17 * 1024 * 1024]))) {
            RegistryClient client = new RegistryClient(registry.address(), "acme/app", Optional.empty(), true, "pull");

            assertEquals(64 * 1024, client.send("GET", client.uri("blobs/error"), null, null).body().length);
            assertEquals(16 * 1024 * 1024, client.send("GET", client.uri("blobs/big"), null, null).body().length);
        }
    }

    private static String bearer(LoopbackServer tokenService) {
        return "Bearer realm=\"http://" + tokenService.address() + "/token\",service=\"test\"";
    }

    private static String authorization(HttpExchange exchange) {
        return String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
    }
}
