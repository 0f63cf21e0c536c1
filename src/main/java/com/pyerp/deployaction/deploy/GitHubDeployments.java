package com.pyerp.deployaction.deploy;

import com.pyerp.deployaction.action.GitHubContext;
import com.pyerp.deployaction.action.JsonWriter;
import com.pyerp.deployaction.action.Workflow;
import com.pyerp.deployaction.config.DeployTarget;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.kohsuke.github.GHDeployment;
import org.kohsuke.github.GHDeploymentState;
import org.kohsuke.github.GHDeploymentStatusBuilder;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;

/**
 * The deploy as a GitHub deployment: created for the environment and commit, then statuses in progress,
 * success or failure, with the environment URL and the run's log URL. Every API failure is a warning: the
 * record is a courtesy, never a reason to fail a deploy.
 *
 * <p>github-api 1.330 sends {@code IN_PROGRESS} as {@code "in-progress"}, which GitHub rejects (it expects
 * {@code in_progress}), so that one status is posted directly.
 */
public final class GitHubDeployments {

    /** github-api reports every retried connection on java.util.logging at INFO; the warning below says it once. */
    private static final java.util.logging.Logger GITHUB_API_LOG = java.util.logging.Logger.getLogger("org.kohsuke.github");

    static {
        GITHUB_API_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    /** A created deployment. */
    public record Deployment(long id, GHDeployment handle) {}

    private final Workflow workflow;
    private final String apiUrl;
    private final String token;
    private final String repository;

    private GitHubDeployments(Workflow workflow, String apiUrl, String token, String repository) {
        this.workflow = workflow;
        this.apiUrl = apiUrl.replaceAll("/+$", "");
        this.token = token;
        this.repository = repository;
    }

    /** Records deployments when there is a token and a repository; otherwise does nothing. */
    public static GitHubDeployments of(Workflow workflow, GitHubContext context, String token) {
        return new GitHubDeployments(workflow, context.apiUrl(), token, context.repository());
    }

    private boolean enabled() {
        return !token.isEmpty() && repository.contains("/");
    }

    Deployment start(DeployTarget target, String image, GitHubContext context) {
        if (!enabled()) {
            return null;
        }
        try {
            GitHub github = new GitHubBuilder().withEndpoint(apiUrl).withAppInstallationToken(token).build();
            GHRepository repo = github.getRepository(repository);
            GHDeployment deployment = repo.createDeployment(context.sha().isEmpty() ? context.ref() : context.sha())
                    .environment(target.environment())
                    .description(truncate("Deploy " + image))
                    .autoMerge(false)
                    .requiredContexts(List.of())
                    .productionEnvironment(target.environment().equals("production"))
                    .transientEnvironment(false)
                    .task("deploy")
                    .create();
            postInProgress(deployment.getId(), target, context);
            return new Deployment(deployment.getId(), deployment);
        } catch (IOException | RuntimeException e) {
            warn(e);
            return null;
        }
    }

    void finish(Deployment deployment, DeployTarget target, boolean success, GitHubContext context, String description) {
        if (deployment == null) {
            return;
        }
        try {
            GHDeploymentStatusBuilder status = deployment.handle()
                    .createStatus(success ? GHDeploymentState.SUCCESS : GHDeploymentState.FAILURE)
                    .description(truncate(description))
                    .autoInactive(success);
            if (!target.url().isEmpty()) {
                status.environmentUrl(target.url());
            }
            if (!context.runUrl().isEmpty()) {
                status.logUrl(context.runUrl());
            }
            status.create();
        } catch (IOException | RuntimeException e) {
            warn(e);
        }
    }

    private void postInProgress(long id, DeployTarget target, GitHubContext context) throws IOException {
        JsonWriter body = JsonWriter.javascript().open('{').field("state").string("in_progress");
        if (!target.url().isEmpty()) {
            body.field("environment_url").string(target.url());
        }
        if (!context.runUrl().isEmpty()) {
            body.field("log_url").string(context.runUrl());
        }
        body.field("description").string("Deploying").close('}');
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiUrl + "/repos/" + repository + "/deployments/" + id + "/statuses"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "token " + token)
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                    .send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IOException("HTTP " + response.statusCode() + " for the in_progress status");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void warn(Exception e) {
        workflow.warning("GitHub deployment not recorded", "The deploy itself is not affected, but the GitHub API at "
                + apiUrl + " refused or failed the deployment record (" + e.getClass().getSimpleName() + ": "
                + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + "). Give the job"
                + " 'permissions: deployments: write'.");
    }

    private static String truncate(String text) {
        return text.length() <= 140 ? text : text.substring(0, 139) + "…";
    }
}
