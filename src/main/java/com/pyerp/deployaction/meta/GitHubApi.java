package com.pyerp.deployaction.meta;

import com.pyerp.deployaction.action.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The two REST calls the metadata stage makes, {@code GET /repos/{owner}/{repo}} and
 * {@code GET /repos/{owner}/{repo}/commits/{sha}}, on the JDK's HTTP client. (kohsuke github-api would load
 * about 0.7 s of classes for them, more than metadata-action's whole run; it serves the deployments instead.)
 */
public final class GitHubApi {

    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final int READ_TIMEOUT_MILLIS = 30_000;

    private final String apiUrl;
    private final String token;
    private final String repository;

    /** {@code token} may be empty (anonymous); {@code repository} is {@code owner/name}. */
    public GitHubApi(String apiUrl, String token, String repository) {
        this.apiUrl = apiUrl.replaceAll("/+$", "");
        this.token = token;
        this.repository = repository;
    }

    public RepositoryInfo repository() throws IOException {
        JsonValue repo = get("/repos/" + repository);
        return new RepositoryInfo(
                text(repo.path("name")),
                text(repo.path("description")),
                text(repo.path("html_url")),
                text(repo.path("license").path("spdx_id")),
                text(repo.path("default_branch")));
    }

    /** The committer date of {@code sha}. */
    public Optional<Instant> commitDate(String sha) throws IOException {
        String date = text(get("/repos/" + repository + "/commits/" + URLEncoder.encode(sha, StandardCharsets.UTF_8))
                .path("commit").path("committer").path("date"));
        try {
            return date.isEmpty() ? Optional.empty() : Optional.of(OffsetDateTime.parse(date).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private JsonValue get(String path) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(apiUrl + path).toURL().openConnection();
        connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
        connection.setReadTimeout(READ_TIMEOUT_MILLIS);
        connection.setRequestProperty("Accept", "application/vnd.github+json");
        connection.setRequestProperty("X-GitHub-Api-Version", "2022-11-28");
        connection.setRequestProperty("User-Agent", "pyerp-deploy-action");
        if (!token.isEmpty()) {
            connection.setRequestProperty("Authorization", "Bearer " + token);
        }
        try {
            int status = connection.getResponseCode();
            if (status != HttpURLConnection.HTTP_OK) {
                throw new IOException("GET " + path + " answered HTTP " + status
                        + (status == 401 || status == 403 ? " (check github-token and its permissions)" : ""));
            }
            try (InputStream body = connection.getInputStream()) {
                return JsonValue.read(body);
            }
        } finally {
            connection.disconnect();
        }
    }

    private static String text(JsonValue value) {
        return value.asText("");
    }
}
