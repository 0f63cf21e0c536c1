package com.pyerp.deployaction;

import com.pyerp.deployaction.action.GitHubContext;
import com.pyerp.deployaction.config.PipelineSettings;
import com.pyerp.deployaction.config.PushMode;
import com.pyerp.deployaction.config.SetupSettings;
import com.pyerp.deployaction.deploy.DeployStage;
import com.pyerp.deployaction.image.BuildStage;
import com.pyerp.deployaction.meta.MetadataStage;
import com.pyerp.deployaction.scan.ScanStage;
import com.pyerp.deployaction.system.SystemPackagesStage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What this run does, every input checked and nothing yet pushed or deployed: the command, then the stages' own
 * plans. The plan that the log prints is this object, and {@link Pipeline} runs it.
 */
sealed interface RunPlan {

    record Step(String stage, String decision) {}

    /** Stage by stage, what the run will do. */
    List<Step> steps();

    /** {@code command: setup-server}. */
    record SetupServer(SetupSettings settings) implements RunPlan {
        @Override
        public List<Step> steps() {
            return List.of(new Step("setup-server", "provision the server over SSH"));
        }
    }

    /** {@code command: rollback}: no build; the environment goes back to its previous release. */
    record Rollback(GitHubContext context, DeployStage.Plan deploy) implements RunPlan {
        @Override
        public List<Step> steps() {
            String where = deploy.target() == null ? deploy.decision().reason()
                    : "roll " + deploy.target().environment() + " back to " + (deploy.settings().previousImage().isEmpty()
                            ? "the release before the running one" : deploy.settings().previousImage());
            return List.of(new Step("rollback", where));
        }
    }

    /** {@code command: pipeline}: metadata always; the build unless {@code build: false}; the scan if asked for. */
    record Images(PipelineSettings settings, GitHubContext context, MetadataStage.Plan metadata,
            Optional<SystemPackagesStage.Plan> system, Optional<BuildStage.Plan> build, Optional<ScanStage.Plan> scan,
            DeployStage.Plan deploy) implements RunPlan {

        @Override
        public List<Step> steps() {
            List<Step> steps = new ArrayList<>();
            steps.add(new Step("context", describe(context)));
            steps.add(new Step("metadata", "compute tags and labels"));
            system.ifPresent(plan -> steps.add(new Step("packages", "add " + plan.settings().packages().size()
                    + " system package(s) and their dependencies to " + plan.base())));
            steps.add(build.map(plan -> new Step("build", "build a " + format(plan) + " image, " + destination()))
                    .orElse(new Step("build", "skipped (build: false)")));
            steps.add(scan.map(plan -> new Step("scan", "scan the image" + (settings.scanBeforePush() ? " before pushing it"
                    : "") + ", fail at " + plan.gate().threshold() + " or above"))
                    .orElse(new Step("scan", "skipped (scan: " + settings.scan() + ")")));
            steps.add(new Step("deploy", deploy.decision().reason()));
            return List.copyOf(steps);
        }

        private static String format(BuildStage.Plan plan) {
            return plan.spec().format() == null ? "docker" : plan.spec().format();
        }

        private String destination() {
            if (settings.tarPath() != null) {
                return "write a tar to " + settings.tarPath();
            }
            if (settings.pushesIn(context)) {
                return "push it (push: " + settings.push() + ")";
            }
            return settings.push() == PushMode.FALSE ? "do not push (push: false)"
                    : "do not push: pull requests from forks get a read-only token";
        }

        private static String describe(GitHubContext context) {
            return context.eventName() + " of " + (context.ref().isEmpty() ? "(no ref)" : context.ref()) + " at "
                    + (context.sha().isEmpty() ? "(no commit)" : context.shortSha()) + " in "
                    + (context.repository().isEmpty() ? "(unknown repository)" : context.repository());
        }
    }
}
