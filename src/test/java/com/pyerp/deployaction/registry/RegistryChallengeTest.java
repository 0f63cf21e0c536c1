package com.pyerp.deployaction.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegistryChallengeTest {

    private static final Optional<Credential> LOGIN = Optional.of(new Credential("octocat", "s3cret", "test"));

    @Test
    void aBasicChallengeIsAnsweredWithTheCredentialsThemselves() {
        RegistryChallenge answer = RegistryChallenge.of("Basic realm=\"Registry\"", "o/app", "pull", LOGIN).orElseThrow();
        assertEquals("Basic b2N0b2NhdDpzM2NyZXQ=", answer.basic());
        assertNull(answer.tokenService());
        assertNull(RegistryChallenge.of("Basic realm=\"Registry\"", "o/app", "pull", Optional.empty()).orElseThrow().basic());
    }

    @Test
    void aBearerChallengeNamesTheTokenServiceWithTheRepositoryScope() {
        RegistryChallenge answer = RegistryChallenge.of("Bearer realm=\"https://ghcr.io/token\",service=\"ghcr.io\","
                + "scope=\"repository:o/app:pull\"", "o/app", "push,pull", LOGIN).orElseThrow();
        assertEquals(URI.create("https://ghcr.io/token?scope=repository%3Ao%2Fapp%3Apush%2Cpull&service=ghcr.io"),
                answer.tokenService());
        assertEquals("Basic b2N0b2NhdDpzM2NyZXQ=", answer.basic());
    }

    @Test
    void challengesThatCannotBeAnsweredAreEmpty() {
        assertTrue(RegistryChallenge.of(null, "o/app", "pull", LOGIN).isEmpty());
        assertTrue(RegistryChallenge.of("Negotiate", "o/app", "pull", LOGIN).isEmpty());
        assertTrue(RegistryChallenge.of("Bearer service=\"x\"", "o/app", "pull", LOGIN).isEmpty());
    }

    @Test
    void theTokenComesFromEitherFieldOfTheTokenServicesAnswer() {
        assertEquals(Optional.of("Bearer abc"), RegistryChallenge.bearer("{\"token\": \"abc\", \"expires_in\": 300}"));
        assertEquals(Optional.of("Bearer xyz"), RegistryChallenge.bearer("{\"access_token\":\"xyz\"}"));
        assertEquals(Optional.empty(), RegistryChallenge.bearer("{\"errors\":[]}"));
        assertEquals(Optional.of("Bearer a/b"), RegistryChallenge.bearer("{\"token\":\"a\\/b\"}"));
        assertEquals(Optional.empty(), RegistryChallenge.bearer("<html>502 Bad Gateway</html>"));
    }
}
