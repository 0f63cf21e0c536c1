package com.pyerp.deployaction.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ghcr.io and Docker Hub hand out bearer tokens that expire after minutes, while a build can take longer: a
 * repository client whose token has expired wins a new one instead of reading every later answer as "not there".
 * WireMock stands in for a token-authenticated registry, which this machine cannot reach (the loopback ones take
 * Basic credentials).
 */
class RegistryRepositoryTokenTest {

    private static final String DIGEST = "sha256:" + "a".repeat(64);

    private final WireMockServer registry = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());

    @BeforeEach
    void start() {
        registry.start();
    }

    @AfterEach
    void stop() {
        registry.stop();
    }

    @Test
    void anExpiredTokenIsReplacedOnTheNext401() {
        grants("first-token");
        RegistryRepository repository = new RegistryRepository("127.0.0.1:" + registry.port(), "acme/app", Optional.empty(), true,
                "push,pull");
        assertEquals(Optional.of(DIGEST), repository.manifestDigest("v1"));

        registry.resetAll();
        grants("second-token");
        assertEquals(Optional.of(DIGEST), repository.manifestDigest("v1"));
    }

    /** A registry that answers the manifest only with {@code token}, and a token service that hands it out. */
    private void grants(String token) {
        registry.stubFor(any(urlPathEqualTo("/v2/acme/app/manifests/v1")).atPriority(2).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Bearer realm=\"http://127.0.0.1:" + registry.port() + "/token\",service=\"test\"")));
        registry.stubFor(any(urlPathEqualTo("/v2/acme/app/manifests/v1")).atPriority(1)
                .withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(aResponse().withStatus(200).withHeader("Docker-Content-Digest", DIGEST)));
        registry.stubFor(get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"" + token + "\"}")));
    }
}
