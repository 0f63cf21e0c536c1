package com.pyerp.deployaction;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.GitHubContext;
import com.pyerp.deployaction.action.GitWorkingTree;
import com.pyerp.deployaction.action.Input;
import com.pyerp.deployaction.action.Inputs;
import com.pyerp.deployaction.action.Markdown;
import com.pyerp.deployaction.action.Workflow;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The one place that knows the order of the stages. */
public final class Pipeline {

    private final Workflow workflow;
    private final Inputs inputs;
    private final Map<String, String> env;
    private final Path workingDirectory;
    private final boolean onRunner;

    public Pipeline(Workflow workflow, Inputs inputs, Map<String, String> env, Path workingDirectory, boolean onRunner) {
        this.workflow = workflow;
        this.inputs = inputs;
        this.env = env;
        this.workingDirectory = workingDirectory;
        this.onRunner = onRunner;
    }

    public void run() {
        PipelineSettings settings = PipelineSettings.from(inputs, onRunner ? "workflow" : "git");
        GitHubContext context = settings.contextSource().equals("git")
                ? new GitWorkingTree(workingDirectory).context(env)
                : GitHubContext.fromEnvironment(env);
        workflow.group("Context", () -> printContext(settings, context));

        DryPlan plan = DryPlan.of(settings, context, inputs.isSet(Input.DEPLOY_CONFIG) || inputs.isSet(Input.SSH_HOST));
        workflow.group("Plan", () -> plan.steps().forEach(step -> workflow.info(
                String.format("%-12s %s%s", step.stage(), step.decision(), step.runs() && !step.available()
                        ? "  [not available in this release]" : ""))));
        workflow.summary(Markdown.heading("pyerp-deploy-action")
                + Markdown.table(List.of("Stage", "Plan"),
                        plan.steps().stream().map(step -> List.of(step.stage(), step.decision())).toList()));

        for (DryPlan.Step missing : plan.unavailable()) {
            String title = "Stage not available: " + missing.stage();
            String message = "This release of the action cannot " + missing.decision() + " yet (stage '"
                    + missing.stage() + "').";
            if (missing.stage().equals("metadata")) {
                // Metadata only fills outputs; nothing pushed or deployed depends on it being absent.
                workflow.warning(title, message + " The tag and label outputs are left empty.");
            } else {
                throw new ActionException(title, message + " Nothing was built, pushed or deployed. "
                        + howToSkip(missing.stage()));
            }
        }
    }

    private void printContext(PipelineSettings settings, GitHubContext context) {
        workflow.info("source:      " + settings.contextSource());
        workflow.info("event:       " + context.eventName());
        workflow.info("ref:         " + context.ref());
        workflow.info("sha:         " + context.sha());
        workflow.info("repository:  " + context.repository());
        Instant date = context.commitDate();
        workflow.info("commit date: " + (date == null ? "(unknown)" : date.toString()));
        if (!context.actor().isEmpty()) {
            workflow.info("actor:       " + context.actor());
        }
        if (!context.runUrl().isEmpty()) {
            workflow.info("run:         " + context.runUrl());
        }
    }

    private static String howToSkip(String stage) {
        return switch (stage) {
            case "build" -> "Set build: false for a context-only dry run.";
            case "scan" -> "Set scan: false.";
            case "deploy" -> "Set deploy: false.";
            default -> "Use command: pipeline.";
        };
    }
}
