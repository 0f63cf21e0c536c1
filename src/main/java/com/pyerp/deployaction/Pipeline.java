package com.pyerp.deployaction;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.GitHubContext;
import com.pyerp.deployaction.action.GitWorkingTree;
import com.pyerp.deployaction.action.Inputs;
import com.pyerp.deployaction.action.Markdown;
import com.pyerp.deployaction.action.RunnerTemp;
import com.pyerp.deployaction.action.Workflow;
import com.pyerp.deployaction.action.Workspace;
import com.pyerp.deployaction.config.Command;
import com.pyerp.deployaction.config.ContextSource;
import com.pyerp.deployaction.config.PipelineSettings;
import com.pyerp.deployaction.config.PushMode;
import com.pyerp.deployaction.deploy.DeployStage;
import com.pyerp.deployaction.image.BuildStage;
import com.pyerp.deployaction.image.ImageBuilder;
import com.pyerp.deployaction.meta.Metadata;
import com.pyerp.deployaction.meta.MetadataStage;
import com.pyerp.deployaction.scan.ScanStage;
import com.pyerp.deployaction.server.SetupServerStage;
import com.pyerp.deployaction.server.SetupSettings;
import java.nio.file.Path;
import java.time.Clock;
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
        PipelineSettings settings = PipelineSettings.from(inputs, onRunner ? ContextSource.WORKFLOW : ContextSource.GIT);
        GitHubContext context = settings.contextSource() == ContextSource.GIT
                ? new GitWorkingTree(workingDirectory).context(env)
                : GitHubContext.fromEnvironment(env);
        boolean pipeline = settings.command() == Command.PIPELINE;
        MetadataStage metadataStage = new MetadataStage(workflow, inputs, env);
        Metadata.Rules rules = pipeline ? metadataStage.rules(context) : null;
        Workspace workspace = Workspace.of(workingDirectory, env);
        BuildStage buildStage = new BuildStage(workflow, inputs, env, workspace);
        BuildStage.Plan build = pipeline && settings.build() ? buildStage.plan() : null;
        ScanStage scanStage = new ScanStage(workflow, inputs, env, workspace, Clock.systemUTC());
        ScanStage.Plan scan = build != null && settings.scan() ? scanStage.plan() : null;
        ImageScan.checkBeforePush(settings, build);
        DeployStage deployStage = new DeployStage(workflow, inputs, workspace);
        DeployStage.Plan deploy = pipeline ? deployStage.plan(settings, context) : null;
        SetupSettings setup = pipeline ? null : SetupSettings.from(inputs, context.repositoryName(), workspace);
        workflow.group("Context", () -> printContext(settings, context));

        DryPlan plan = DryPlan.of(settings, context, deploy != null ? deploy.decision() : null);
        workflow.group("Plan", () -> plan.steps().forEach(step -> workflow.info(
                String.format("%-12s %s", step.stage(), step.decision()))));
        workflow.summary(Markdown.heading("pyerp-deploy-action")
                + Markdown.table(List.of("Stage", "Plan"),
                        plan.steps().stream().map(step -> List.of(step.stage(), step.decision())).toList()));

        if (setup != null) {
            new SetupServerStage(workflow, Clock.systemUTC()).run(setup);
            return;
        }
        Metadata metadata = metadataStage.run(rules, context);
        if (build != null) {
            boolean push = settings.pushesIn(context);
            Path tar = settings.tarPath() != null ? workingDirectory.resolve(settings.tarPath()) : null;
            boolean forkPullRequest = !push && tar == null && settings.push() == PushMode.AUTO;
            if (forkPullRequest) {
                tar = RunnerTemp.directory(env).resolve("pyerp-image.tar");
            }
            ImageScan imageScan = new ImageScan(buildStage, scanStage, scan, build, env);
            ImageBuilder.Result image;
            if (scan != null && settings.scanBeforePush() && push) {
                image = imageScan.scanThenPush(metadata, rules.images(), context);
            } else {
                image = imageScan.build(metadata, rules.images(), push, tar, context);
                if (scan != null) {
                    imageScan.scanBuilt(image, rules.images(), tar, context);
                }
            }
            if (forkPullRequest) {
                workflow.notice("Not pushed", "Pull requests from forks get a read-only token, so the image was built"
                        + " to " + tar + " instead of being pushed.");
            }
            if (deploy != null && deploy.target() != null) {
                if (!image.pushed()) {
                    throw new ActionException("Nothing to deploy", "The image was not pushed (pull request from a fork),"
                            + " so there is nothing the servers could pull. Nothing was deployed.");
                }
                deployStage.run(deploy, image.image(), context);
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
}
