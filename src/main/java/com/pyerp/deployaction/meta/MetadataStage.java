package com.pyerp.deployaction.meta;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.GitHubContext;
import com.pyerp.deployaction.action.JsonValue;
import com.pyerp.deployaction.action.Markdown;
import com.pyerp.deployaction.action.Output;
import com.pyerp.deployaction.action.Workflow;
import com.pyerp.deployaction.config.MetadataSettings;
import com.pyerp.deployaction.registry.ImageName;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The metadata stage: reads the rules and the context, asks GitHub about the repository, sets the outputs. */
public final class MetadataStage {

    /**
     * The tags when the {@code tags} input is empty: the branch on branch pushes, plus {@code edge} on the
     * default branch; {@code X.Y.Z}, {@code X.Y} and {@code X} for version tags, but no {@code 0} or
     * {@code 0.Y}; {@code latest} only for releases that are not pre-releases; {@code pr-N}; {@code sha-SHORT}.
     */
    public static final List<String> DEFAULT_TAGS = List.of(
            "type=ref,event=branch",
            "type=edge,priority=590",
            "type=semver,pattern={{version}}",
            "type=match,pattern=^v?([1-9]\\d*\\.(?:0|[1-9]\\d*))\\.(?:0|[1-9]\\d*)$,group=1",
            "type=match,pattern=^v?([1-9]\\d*)\\.(?:0|[1-9]\\d*)\\.(?:0|[1-9]\\d*)$,group=1",
            "type=ref,event=pr",
            "type=sha");

    /** The parsed rules, with the settings the run needs (the token, the output separators). */
    public record Plan(Metadata.Rules rules, MetadataSettings settings) {}

    private final Workflow workflow;
    private final Map<String, String> env;

    public MetadataStage(Workflow workflow, Map<String, String> env) {
        this.workflow = workflow;
        this.env = env;
    }

    /** Parses every metadata rule; called before any stage runs so that bad rules fail first. */
    public Plan plan(MetadataSettings settings, GitHubContext context) {
        return new Plan(new Metadata.Rules(
                ImageName.parse(imageEntries(settings.images(), context)),
                TagRule.parseAll(settings.tags().isEmpty() ? DEFAULT_TAGS : settings.tags()),
                Flavor.parse(settings.flavor()),
                settings.labels(),
                settings.annotations(),
                List.of(env.getOrDefault("DOCKER_METADATA_ANNOTATIONS_LEVELS", "manifest").split(","))), settings);
    }

    public Metadata run(Plan plan, GitHubContext context) {
        MetaContext metaContext = adjusted(context);
        GitHubApi api = context.repository().isEmpty() ? null
                : new GitHubApi(context.apiUrl(), plan.settings().githubToken(), context.repository());
        RepositoryInfo repository = repository(api, context);
        Instant commitDate = commitDate(metaContext, context, api);
        metaContext = metaContext.withCommitDate(commitDate);

        Metadata metadata = Metadata.compute(plan.rules(), metaContext, repository);
        metadata.warnings().forEach(warning -> workflow.warning("Tags", warning));
        if (metadata.version().isEmpty()) {
            workflow.warning("No tags", "No image version has been generated. Check the tags input.");
        }
        workflow.group("Image metadata", () -> {
            workflow.info("version: " + metadata.version());
            metadata.tags().forEach(tag -> workflow.info("tag:     " + tag));
            metadata.labels().forEach(label -> workflow.info("label:   " + label));
        });
        setOutputs(metadata, plan.settings().separators());
        workflow.summary(summary(metadata));
        return metadata;
    }

    private static List<String> imageEntries(List<String> entries, GitHubContext context) {
        if (!entries.isEmpty()) {
            return entries;
        }
        if (context.repository().isEmpty()) {
            throw new ActionException("Invalid input: images",
                    "images is empty and the repository is unknown, so there is no default image name. Set images,"
                            + " for example images: ghcr.io/OWNER/APP.");
        }
        return List.of("ghcr.io/" + context.repository().toLowerCase(Locale.ROOT));
    }

    /** metadata-action's context adjustments for pull requests, and the short SHA length. */
    private MetaContext adjusted(GitHubContext context) {
        JsonValue event = context.event();
        String ref = context.ref();
        if (context.eventName().contains("pull_request_target")) {
            ref = "refs/pull/" + event.path("number").asText("") + "/merge";
        }
        String sha = context.sha();
        JsonValue headSha = event.path("pull_request").path("head").path("sha");
        if ("true".equalsIgnoreCase(env.getOrDefault("DOCKER_METADATA_PR_HEAD_SHA", "")) && context.isPullRequest()
                && headSha.isText()) {
            sha = headSha.asText("");
        }
        return new MetaContext(context.eventName(), ref, sha, event, null, Instant.now(), shortShaLength());
    }

    private int shortShaLength() {
        String length = env.getOrDefault("DOCKER_METADATA_SHORT_SHA_LENGTH", "");
        if (length.isEmpty()) {
            return MetaContext.DEFAULT_SHORT_SHA_LENGTH;
        }
        if (!length.matches("\\d{1,3}")) {
            throw new ActionException("Invalid DOCKER_METADATA_SHORT_SHA_LENGTH",
                    "DOCKER_METADATA_SHORT_SHA_LENGTH is '" + length + "', but it must be a number such as 7 or 12.");
        }
        return Integer.parseInt(length);
    }

    /** From the API; when that fails, from the event payload's repository object, with a warning. */
    private RepositoryInfo repository(GitHubApi api, GitHubContext context) {
        if (api != null) {
            try {
                return api.repository();
            } catch (IOException | RuntimeException e) {
                workflow.warning("GitHub API unavailable", "Could not read repository " + context.repository() + " from "
                        + context.apiUrl() + " (" + describe(e) + "); the labels use the event payload instead.");
            }
        }
        JsonValue payload = context.event().path("repository");
        return new RepositoryInfo(
                payload.path("name").asText(context.repositoryName()),
                payload.path("description").asText(""),
                payload.path("html_url").asText(""),
                payload.path("license").path("spdx_id").asText(""),
                payload.path("default_branch").asText(""));
    }

    /** The payload's commits, then the API, then now: the same order as metadata-action. */
    private Instant commitDate(MetaContext metaContext, GitHubContext context, GitHubApi api) {
        if (context.commitDate() != null && metaContext.sha().equals(context.sha())) {
            return context.commitDate();
        }
        Instant fromPayload = GitHubContext.payloadCommitDate(metaContext.event(), metaContext.sha());
        if (fromPayload != null) {
            return fromPayload;
        }
        if (api != null && !metaContext.sha().isEmpty()) {
            try {
                Optional<Instant> fromApi = api.commitDate(metaContext.sha());
                if (fromApi.isPresent()) {
                    return fromApi.get();
                }
            } catch (IOException | RuntimeException e) {
                workflow.debug("commit date from the API: " + describe(e));
            }
        }
        return metaContext.now();
    }

    private void setOutputs(Metadata metadata, MetadataSettings.Separators separators) {
        String tagSeparator = separators.tags();
        workflow.setOutput(Output.VERSION, metadata.version());
        workflow.setOutput(Output.TAGS, String.join(tagSeparator, metadata.tags()));
        workflow.setOutput(Output.TAG_NAMES, String.join(tagSeparator, metadata.tagNames()));
        workflow.setOutput(Output.LABELS, String.join(separators.labels(), metadata.labels()));
        workflow.setOutput(Output.ANNOTATIONS, String.join(separators.annotations(), metadata.annotations()));
        workflow.setOutput(Output.JSON, metadata.json());
    }

    private static String summary(Metadata metadata) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("version", Markdown.code(metadata.version())));
        metadata.tags().forEach(tag -> rows.add(List.of("tag", Markdown.code(tag))));
        metadata.labels().forEach(label -> rows.add(List.of("label", Markdown.code(label))));
        return Markdown.heading("Image metadata") + Markdown.table(List.of("", "value"), rows);
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
