package com.pyerp.deployaction.meta;

import com.pyerp.deployaction.action.JsonValue;
import java.time.Instant;

/**
 * The facts tag rules and expressions read, after metadata-action's adjustments (the PR ref for
 * {@code pull_request_target}, the head SHA with {@code DOCKER_METADATA_PR_HEAD_SHA}).
 *
 * @param event the event payload ({@link JsonValue#MISSING} when there is none)
 * @param now the time {@code {{date}}} formats; fixed for the whole run
 */
public record MetaContext(
        String eventName, String ref, String sha, JsonValue event, Instant commitDate, Instant now, int shortShaLength) {

    public static final int DEFAULT_SHORT_SHA_LENGTH = 7;

    public MetaContext withCommitDate(Instant date) {
        return new MetaContext(eventName, ref, sha, event, date, now, shortShaLength);
    }

    public String shortSha() {
        return shortShaLength >= sha.length() ? sha : sha.substring(0, shortShaLength);
    }

    /** The branch of a {@code refs/heads/} ref, else empty. */
    public String branch() {
        return ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : "";
    }

    /** The tag of a {@code refs/tags/} ref, else empty. */
    public String tag() {
        return ref.startsWith("refs/tags/") ? ref.substring("refs/tags/".length()) : "";
    }
}
