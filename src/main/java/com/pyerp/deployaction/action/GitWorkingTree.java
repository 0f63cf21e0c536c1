package com.pyerp.deployaction.action;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the run context from a local git checkout: for the command line and for {@code context: git}. */
public final class GitWorkingTree {

    /** {@code scheme://host/owner/name(.git)} or scp-like {@code user@host:owner/name(.git)}. */
    private static final Pattern REMOTE_REPOSITORY =
            Pattern.compile("^(?:[a-z+]+://[^/]+(?:/[^/]+)*?|[^/@]+@[^:/]+:(?:[^/]+/)*?)/?([^/:]+)/([^/]+?)(?:\\.git)?/?$");

    private final Path directory;

    public GitWorkingTree(Path directory) {
        this.directory = directory;
    }

    /**
     * The branch (or, on a detached HEAD, the tag pointing at it), the commit and its date. {@code GITHUB_*}
     * variables that are set fill in what git cannot know (actor, run id, URLs) and name the repository.
     */
    public GitHubContext context(Map<String, String> env) {
        String sha = git("rev-parse", "HEAD").orElseThrow(() -> new ActionException("No git checkout",
                "There is no git commit in " + directory.toAbsolutePath() + ". Run in a git checkout (in a"
                        + " workflow: actions/checkout first) or use context: workflow."));
        String ref = git("symbolic-ref", "-q", "HEAD")
                .or(() -> git("describe", "--tags", "--exact-match", "HEAD").map(tag -> "refs/tags/" + tag))
                .orElse(sha);
        String repository = nonEmpty(env.get("GITHUB_REPOSITORY"), git("remote", "get-url", "origin")
                .map(GitWorkingTree::repositoryFromRemote)
                .orElse(""));
        if (repository.isEmpty()) {
            Path name = directory.toAbsolutePath().normalize().getFileName();
            repository = name == null ? "" : "local/" + name;
        }
        GitHubContext fromEnv = GitHubContext.fromEnvironment(env);
        return new GitHubContext(
                nonEmpty(env.get("GITHUB_EVENT_NAME"), "push"),
                sha,
                ref,
                "",
                "",
                repository,
                fromEnv.actor(),
                fromEnv.serverUrl(),
                fromEnv.apiUrl(),
                fromEnv.runId(),
                fromEnv.runAttempt(),
                git("log", "-1", "--format=%cI", "HEAD").map(date -> OffsetDateTime.parse(date).toInstant()).orElse(null),
                JsonValue.MISSING);
    }

    /** {@code owner/name} from an ssh or https remote URL, or empty. */
    static String repositoryFromRemote(String url) {
        Matcher matcher = REMOTE_REPOSITORY.matcher(url.trim());
        return matcher.matches() ? matcher.group(1) + "/" + matcher.group(2) : "";
    }

    private Optional<String> git(String... arguments) {
        List<String> command = new ArrayList<>(List.of("git", "-C", directory.toString()));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return process.exitValue() == 0 && !output.isEmpty() ? Optional.of(output) : Optional.empty();
        } catch (IOException e) {
            throw new ActionException("git is not installed",
                    "Reading the git context needs the git command (" + e.getMessage() + "). Install git or use"
                            + " context: workflow.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static String nonEmpty(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
