package com.pyerp.deployaction;

import com.pyerp.deployaction.action.GitHubContext;
import com.pyerp.deployaction.config.Command;
import com.pyerp.deployaction.config.PipelineSettings;
import com.pyerp.deployaction.config.PushMode;
import com.pyerp.deployaction.deploy.DeployTargets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run would do with these settings in this context, stage by stage, decided without touching any
 * registry or server.
 */
public record DryPlan(List<Step> steps) {

    public record Step(String stage, String decision) {}

    /** {@code deploy}: what the deploy configuration says for this ref (read from files, not from any server). */
    public static DryPlan of(PipelineSettings settings, GitHubContext context, DeployTargets.Decision deploy) {
        List<Step> steps = new ArrayList<>();
        if (settings.command() == Command.SETUP_SERVER) {
            steps.add(new Step("setup-server", "provision the server over SSH"));
            return new DryPlan(List.copyOf(steps));
        }
        steps.add(new Step("context", describe(context)));
        steps.add(new Step("metadata", "compute tags and labels"));
        if (!settings.build()) {
            steps.add(new Step("build", "skipped (build: false)"));
        } else {
            String target = settings.tarPath() != null ? "write a tar to " + settings.tarPath() : pushDecision(settings, context);
            steps.add(new Step("build", "build a " + settings.format() + " image, " + target));
        }
        steps.add(settings.scan() && settings.build()
                ? new Step("scan", "scan the image" + (settings.scanBeforePush() ? " before pushing it" : "") + ", fail at "
                        + settings.scanSeverity() + " or above")
                : new Step("scan", "skipped (scan: " + settings.scan() + ")"));
        steps.add(new Step("deploy", deploy.reason()));
        return new DryPlan(List.copyOf(steps));
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
        return settings.push() == PushMode.FALSE ? "do not push (push: false)"
                : "do not push: pull requests from forks get a read-only token";
    }
}
