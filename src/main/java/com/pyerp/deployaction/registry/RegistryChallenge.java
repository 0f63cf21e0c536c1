package com.pyerp.deployaction.registry;

import com.pyerp.deployaction.action.JsonValue;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How to answer a registry's 401: its {@code WWW-Authenticate} challenge asks either for Basic credentials, sent
 * as they are, or for a bearer token, fetched first from the challenge's realm (with the Basic credentials, when
 * there are any) for the repository and the actions wanted. Pure: the caller sends the requests.
 *
 * @param basic the Basic {@code Authorization} value; null without credentials
 * @param tokenService where to fetch a bearer token; null when the registry takes Basic credentials directly
 */
public record RegistryChallenge(String basic, URI tokenService) {

    /** Every manifest kind this project reads: image indexes and single-platform manifests, OCI and Docker. */
    public static final String MANIFEST_TYPES = String.join(", ",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json");

    private static final Pattern PARAMETER = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    /** Empty for a challenge this project cannot answer (no header, another scheme, a bearer challenge without realm). */
    public static Optional<RegistryChallenge> of(String header, String repository, String actions,
            Optional<Credential> credential) {
        String challenge = header == null ? "" : header;
        String basic = basic(credential);
        if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
            return Optional.of(new RegistryChallenge(basic, null));
        }
        if (!challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
            return Optional.empty();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        Matcher matcher = PARAMETER.matcher(challenge);
        while (matcher.find()) {
            parameters.put(matcher.group(1).toLowerCase(Locale.ROOT), matcher.group(2));
        }
        String realm = parameters.get("realm");
        if (realm == null || realm.isEmpty()) {
            return Optional.empty();
        }
        String query = "scope=" + URLEncoder.encode("repository:" + repository + ":" + actions, StandardCharsets.UTF_8)
                + (parameters.containsKey("service")
                        ? "&service=" + URLEncoder.encode(parameters.get("service"), StandardCharsets.UTF_8) : "");
        return Optional.of(new RegistryChallenge(basic, URI.create(realm + (realm.contains("?") ? "&" : "?") + query)));
    }

    /** The Basic {@code Authorization} value for these credentials; null without any. */
    public static String basic(Optional<Credential> credential) {
        return credential.map(c -> "Basic " + Base64.getEncoder().encodeToString(
                (c.username() + ":" + c.secret()).getBytes(StandardCharsets.UTF_8))).orElse(null);
    }

    /** The {@code Authorization} value from a token service's JSON answer ({@code token} or {@code access_token}). */
    public static Optional<String> bearer(String tokenAnswer) {
        try {
            JsonValue answer = JsonValue.parse(tokenAnswer);
            return Optional.ofNullable(answer.path("token").asText(answer.path("access_token").asText(null)))
                    .filter(token -> !token.isEmpty()).map(token -> "Bearer " + token);
        } catch (JsonValue.SyntaxError e) {
            return Optional.empty();
        }
    }
}
