package com.pyerp.deployaction.image;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks, before anything is built, that the credentials may push: opens a blob upload session on the target
 * repository and cancels it at once. A refusal (401/403) is returned as the registry's answer; anything
 * inconclusive (network trouble, an unusual auth flow) returns empty and the push itself will tell.
 */
final class PushCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final Pattern CHALLENGE_PARAMETER = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private PushCheck() {}

    /** The registry's refusal (status and body), or empty when pushing looks allowed or the check was inconclusive. */
    static Optional<String> refusal(String registry, String repository, Optional<Credential> credential, boolean plainHttp) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
        URI uploads = URI.create((plainHttp ? "http://" : "https://") + registry + "/v2/" + repository + "/blobs/uploads/");
        try {
            HttpResponse<String> answer = http.send(post(uploads, null), HttpResponse.BodyHandlers.ofString());
            String authorization = null;
            if (answer.statusCode() == 401) {
                Optional<String> granted = authorization(http, answer, repository, credential);
                if (granted.isEmpty()) {
                    return credential.isEmpty() ? Optional.of(describe(answer)) : Optional.empty();
                }
                authorization = granted.get();
                answer = http.send(post(uploads, authorization), HttpResponse.BodyHandlers.ofString());
            }
            if (answer.statusCode() == 202) {
                String used = authorization;
                answer.headers().firstValue("Location").ifPresent(location -> cancel(http, uploads, location, used));
            }
            return answer.statusCode() == 401 || answer.statusCode() == 403 ? Optional.of(describe(answer)) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Basic credentials, or a bearer token with push scope from the challenge's realm. */
    private static Optional<String> authorization(HttpClient http, HttpResponse<String> challenge, String repository,
            Optional<Credential> credential) throws IOException, InterruptedException {
        String header = challenge.headers().firstValue("WWW-Authenticate").orElse("");
        String basic = credential.map(c -> "Basic " + Base64.getEncoder().encodeToString(
                (c.username() + ":" + c.secret()).getBytes(StandardCharsets.UTF_8))).orElse(null);
        if (header.regionMatches(true, 0, "Basic", 0, 5)) {
            return Optional.ofNullable(basic);
        }
        if (!header.regionMatches(true, 0, "Bearer", 0, 6)) {
            return Optional.empty();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        Matcher matcher = CHALLENGE_PARAMETER.matcher(header);
        while (matcher.find()) {
            parameters.put(matcher.group(1), matcher.group(2));
        }
        String realm = parameters.get("realm");
        if (realm == null) {
            return Optional.empty();
        }
        String query = "scope=" + URLEncoder.encode("repository:" + repository + ":push,pull", StandardCharsets.UTF_8)
                + (parameters.containsKey("service")
                        ? "&service=" + URLEncoder.encode(parameters.get("service"), StandardCharsets.UTF_8) : "");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(realm + (realm.contains("?") ? "&" : "?") + query))
                .timeout(TIMEOUT);
        if (basic != null) {
            request.header("Authorization", basic);
        }
        HttpResponse<String> token = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        Matcher value = Pattern.compile("\"(?:access_)?token\"\\s*:\\s*\"([^\"]+)\"").matcher(token.body());
        return token.statusCode() == 200 && value.find() ? Optional.of("Bearer " + value.group(1)) : Optional.empty();
    }

    private static HttpRequest post(URI uploads, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uploads).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.build();
    }

    private static void cancel(HttpClient http, URI uploads, String location, String authorization) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uploads.resolve(location)).timeout(TIMEOUT).DELETE();
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            http.send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // an abandoned upload session expires on the registry by itself
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String describe(HttpResponse<String> response) {
        String body = response.body() == null ? "" : response.body().strip();
        return "HTTP " + response.statusCode() + (body.isEmpty() ? "" : " " + (body.length() > 300 ? body.substring(0, 300) : body));
    }
}
