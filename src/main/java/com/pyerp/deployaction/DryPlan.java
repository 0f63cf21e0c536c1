package com.pyerp.deployaction;

import com.pyerp.deployaction.action.GitHubContext;
import com.pyerp.deployaction.deploy.DeployTargets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run would do with these settings in this context, stage by stage, decided without touching any
 * registry or server. {@code available} is false for stages this release cannot run yet.
 */
public record DryPlan(List<Step> steps) {

    public record Step(String stage, String decision, boolean runs, boolean available) {}

    /** {@code deploy}: what the deploy configuration says for this ref (read from files, not from any server). */
    public static DryPlan of(PipelineSettings settings, GitHubContext context, DeployTargets.Decision deploy) {
        List<Step> steps = new ArrayList<>();
        if (settings.command().equals(PipelineSettings.SETUP_SERVER)) {
            steps.add(new Step("setup-server", "provision the server over SSH", true, true));
            return new DryPlan(List.copyOf(steps));
        }
        steps.add(new Step("context", describe(context), true, true));
        steps.add(new Step("metadata", "compute tags and labels", true, true));
        if (!settings.build()) {
            steps.add(new Step("build", "skipped (build: false)", false, true));
        } else {
            String target = settings.tarPath() != null ? "write a tar to " + settings.tarPath() : pushDecision(settings, context);
            steps.add(new Step("build", "build a " + settings.format() + " image, " + target, true, true));
        }
        steps.add(settings.scan() && settings.build()
                ? new Step("scan", "scan the image" + (settings.scanBeforePush() ? " before pushing it" : "") + ", fail at "
                        + settings.scanSeverity() + " or above", true, true)
                : new Step("scan", "skipped (scan: " + settings.scan() + ")", false, true));
        steps.add(new Step("deploy", deploy.reason(), deploy.target() != null, true));
        return new DryPlan(List.copyOf(steps));
    }

    /** Stages that should run but that this release cannot run yet. */
    public List<Step> unavailable() {
        return steps.stream().filter(step -> step.runs() && !step.available()).toList();
    }

    private static String describe(GitHubContext context) {
        return context.eventName() + " of " + (context.ref().isEmpty() ? "(no ref)" : context.ref()) + " at "
                + (context.sha().isEmpty() ? "(no commit)" : context.shortSha()) + " in "
                + (context.repository().isEmpty() ? "(unknown repository)" : context.repository());
    }

    private static String pushDecision(PipelineSettings settings, GitHubContext context) {
        if (settings.pushesIn(context)) {
            return "push it (push: " + settings.push() + ")";
        }
        return settings.push().equals("false") ? "do not push (push: false)"
                : "do not push: pull requests from forks get a read-only token";
    }
}
