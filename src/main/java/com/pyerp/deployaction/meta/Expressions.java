package com.pyerp.deployaction.meta;

import com.pyerp.deployaction.action.JsonValue;
import com.pyerp.deployaction.meta.js.MomentFormat;
import com.pyerp.deployaction.meta.js.Template;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * metadata-action's global expressions, usable in {@code value}, {@code prefix}, {@code suffix}, {@code enable},
 * labels and annotations: {@code {{branch}}}, {@code {{tag}}}, {@code {{sha}}}, {@code {{base_ref}}},
 * {@code {{is_default_branch}}}, {@code {{is_not_default_branch}}}, {@code {{date 'FORMAT' tz='Zone'}}} and
 * {@code {{commit_date 'FORMAT' tz='Zone'}}}.
 */
final class Expressions implements Template.Resolver {

    private final MetaContext context;

    Expressions(MetaContext context) {
        this.context = context;
    }

    String render(String text) {
        return Template.parse(text).render(this);
    }

    @Override
    public Optional<String> resolve(String name, List<String> params, Map<String, String> hash) {
        return switch (name) {
            case "branch" -> Optional.of(context.branch());
            case "tag" -> Optional.of(context.tag());
            case "sha" -> Optional.of(context.shortSha());
            case "base_ref" -> Optional.of(baseRef());
            case "is_default_branch" -> Optional.of(Boolean.toString(isDefaultBranch()));
            case "is_not_default_branch" -> Optional.of(Boolean.toString(!isDefaultBranch()));
            default -> dates(context, name, params, hash);
        };
    }

    /** {@code {{date …}}} and {@code {{commit_date …}}}, which the schedule pattern can use too. */
    static Optional<String> dates(MetaContext context, String name, List<String> params, Map<String, String> hash) {
        Instant instant = switch (name) {
            case "date" -> context.now();
            case "commit_date" -> context.commitDate();
            default -> null;
        };
        if (instant == null) {
            return Optional.empty();
        }
        for (String key : hash.keySet()) {
            if (!key.equals("tz")) {
                throw new IllegalArgumentException("Unknown " + key + " attribute of {{" + name + "}}");
            }
        }
        return Optional.of(MomentFormat.format(instant, params.isEmpty() ? "" : params.get(0), hash.getOrDefault("tz", "UTC")));
    }

    private String baseRef() {
        JsonValue event = context.event();
        if (context.ref().startsWith("refs/tags/") && event.path("base_ref").isPresent()) {
            return event.path("base_ref").asText("").replaceFirst("^refs/heads/", "");
        }
        JsonValue pullBase = event.path("pull_request").path("base").path("ref");
        if (context.ref().startsWith("refs/pull/") && pullBase.isPresent()) {
            return pullBase.asText("");
        }
        return "";
    }

    /**
     * True when the ref's branch is the payload's default branch, and for events that always run on the default
     * branch. Like metadata-action, a tag push is never on the default branch.
     */
    private boolean isDefaultBranch() {
        String branch = context.ref().replaceFirst("^refs/heads/", "");
        if (branch.isEmpty()) {
            return false;
        }
        if (branch.equals(context.event().path("repository").path("default_branch").asText(null))) {
            return true;
        }
        String event = context.eventName();
        return event.contains("create") || event.contains("discussion") || event.contains("issues")
                || event.contains("schedule");
    }
}
