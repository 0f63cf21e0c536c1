package com.pyerp.deployaction.action;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * What the run is about: the event, the commit and the repository. Built from the runner's {@code GITHUB_*}
 * variables and event payload, or from a local checkout ({@link GitWorkingTree}).
 *
 * @param commitDate the commit's date, or null where the source does not tell it
 * @param event the event payload; {@link JsonValue#MISSING} when there is none
 */
public record GitHubContext(
        String eventName,
        String sha,
        String ref,
        String headRef,
        String baseRef,
        String repository,
        String actor,
        String serverUrl,
        String apiUrl,
        String runId,
        String runAttempt,
        Instant commitDate,
        JsonValue event) {

    public static final String DEFAULT_SERVER_URL = "https://github.com";
    public static final String DEFAULT_API_URL = "https://api.github.com";

    public static GitHubContext fromEnvironment(Map<String, String> env) {
        JsonValue event = readEvent(env.get("GITHUB_EVENT_PATH"));
        return new GitHubContext(
                env.getOrDefault("GITHUB_EVENT_NAME", ""),
                env.getOrDefault("GITHUB_SHA", ""),
                env.getOrDefault("GITHUB_REF", ""),
                env.getOrDefault("GITHUB_HEAD_REF", ""),
                env.getOrDefault("GITHUB_BASE_REF", ""),
                env.getOrDefault("GITHUB_REPOSITORY", ""),
                env.getOrDefault("GITHUB_ACTOR", ""),
                nonEmpty(env.get("GITHUB_SERVER_URL"), DEFAULT_SERVER_URL),
                nonEmpty(env.get("GITHUB_API_URL"), DEFAULT_API_URL),
                env.getOrDefault("GITHUB_RUN_ID", ""),
                env.getOrDefault("GITHUB_RUN_ATTEMPT", ""),
                payloadCommitDate(event, env.getOrDefault("GITHUB_SHA", "")),
                event);
    }

    /** {@code main} for {@code refs/heads/main}, {@code v1.2.3} for {@code refs/tags/v1.2.3}, else the ref as is. */
    public String refName() {
        for (String prefix : new String[] {"refs/heads/", "refs/tags/"}) {
            if (ref.startsWith(prefix)) {
                return ref.substring(prefix.length());
            }
        }
        return ref;
    }

    public boolean isPullRequest() {
        return eventName.startsWith("pull_request");
    }

    /** A pull request whose head lives in another repository: its token is read-only. */
    public boolean isForkPullRequest() {
        if (!isPullRequest()) {
            return false;
        }
        String headRepository = event.path("pull_request").path("head").path("repo").path("full_name").asText("");
        return !headRepository.isEmpty() && !headRepository.equalsIgnoreCase(repository);
    }

    public String repositoryName() {
        return repository.substring(repository.indexOf('/') + 1);
    }

    /** The link to this run, or empty outside a runner. */
    public String runUrl() {
        if (runId.isEmpty() || repository.isEmpty()) {
            return "";
        }
        String url = serverUrl + "/" + repository + "/actions/runs/" + runId;
        return runAttempt.isEmpty() ? url : url + "/attempts/" + runAttempt;
    }

    public String shortSha() {
        return sha.length() > 7 ? sha.substring(0, 7) : sha;
    }

    private static JsonValue readEvent(String path) {
        if (path == null || path.isBlank() || !Files.isRegularFile(Path.of(path))) {
            return JsonValue.MISSING;
        }
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            return JsonValue.read(in);
        } catch (IOException e) {
            throw new ActionException("Unreadable event payload",
                    "GITHUB_EVENT_PATH points to " + path + ", which is not a readable JSON file (" + e.getMessage()
                            + "). Unset it or point it to the event's JSON file.");
        }
    }

    /** The date of commit {@code sha} as the push payload tells it ({@code commits[]}, {@code head_commit}), or null. */
    public static Instant payloadCommitDate(JsonValue event, String sha) {
        for (JsonValue commit : event.path("commits")) {
            if (commit.path("id").asText("").equals(sha)) {
                return instant(commit.path("timestamp").asText(""));
            }
        }
        JsonValue head = event.path("head_commit");
        return head.path("id").asText("").equals(sha) ? instant(head.path("timestamp").asText("")) : null;
    }

    private static Instant instant(String timestamp) {
        try {
            return timestamp.isEmpty() ? null : OffsetDateTime.parse(timestamp).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String nonEmpty(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
