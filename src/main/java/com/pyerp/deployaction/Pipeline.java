package com.pyerp.deployaction;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.GitHubContext;
import com.pyerp.deployaction.action.GitWorkingTree;
import com.pyerp.deployaction.action.Markdown;
import com.pyerp.deployaction.action.RunnerTemp;
import com.pyerp.deployaction.action.Workflow;
import com.pyerp.deployaction.action.Workspace;
import com.pyerp.deployaction.config.Command;
import com.pyerp.deployaction.config.Configuration;
import com.pyerp.deployaction.config.ContextSource;
import com.pyerp.deployaction.config.Inputs;
import com.pyerp.deployaction.config.PipelineSettings;
import com.pyerp.deployaction.config.PushMode;
import com.pyerp.deployaction.config.SystemPackagesSettings;
import com.pyerp.deployaction.deploy.DeployStage;
import com.pyerp.deployaction.image.BuildStage;
import com.pyerp.deployaction.image.ImageBuilder;
import com.pyerp.deployaction.meta.Metadata;
import com.pyerp.deployaction.meta.MetadataStage;
import com.pyerp.deployaction.results.ImageMetadata;
import com.pyerp.deployaction.scan.ScanStage;
import com.pyerp.deployaction.server.SetupServerStage;
import com.pyerp.deployaction.system.SystemPackagesStage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

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
        Workspace workspace = Workspace.of(workingDirectory, env);
        Configuration configuration = new Configuration(inputs, workspace, env,
                onRunner ? ContextSource.WORKFLOW : ContextSource.GIT);
        PipelineSettings settings = configuration.pipeline();
        GitHubContext context = settings.contextSource() == ContextSource.GIT
                ? new GitWorkingTree(workingDirectory).context(env)
                : GitHubContext.fromEnvironment(env);
        Stages stages = new Stages(new MetadataStage(workflow, env), new SystemPackagesStage(workflow, env,
                Clock.systemUTC()), new BuildStage(workflow, env),
                new ScanStage(workflow, env, workspace, Clock.systemUTC()), new DeployStage(workflow));
        RunPlan plan = switch (settings.command()) {
            case SETUP_SERVER -> new RunPlan.SetupServer(configuration.setup(context.repositoryName()));
            case ROLLBACK -> new RunPlan.Rollback(context, stages.deploy().plan(configuration.deploy(), context));
            case PIPELINE -> plan(configuration, settings, context, stages);
        };
        workflow.group("Context", () -> printContext(settings, context));
        workflow.group("Plan", () -> plan.steps().forEach(step -> workflow.info(
                String.format("%-12s %s", step.stage(), step.decision()))));
        workflow.summary(Markdown.heading("pyerp-deploy-action")
                + Markdown.table(List.of("Stage", "Plan"),
                        plan.steps().stream().map(step -> List.of(step.stage(), step.decision())).toList()));

        if (plan instanceof RunPlan.SetupServer setup) {
            new SetupServerStage(workflow, Clock.systemUTC()).run(setup.settings());
        } else if (plan instanceof RunPlan.Rollback rollback) {
            stages.deploy().rollback(rollback.deploy(), rollback.context());
        } else {
            run((RunPlan.Images) plan, stages);
        }
    }

    private record Stages(MetadataStage metadata, SystemPackagesStage system, BuildStage build, ScanStage scan,
            DeployStage deploy) {}

    /** Every stage's plan, in the order a bad input should fail in: rules, build, system packages, scan, deploy. */
    private static RunPlan.Images plan(Configuration configuration, PipelineSettings settings, GitHubContext context,
            Stages stages) {
        MetadataStage.Plan metadata = stages.metadata().plan(configuration.metadata(), context);
        Optional<BuildStage.Plan> build = settings.build()
                ? Optional.of(stages.build().plan(configuration.build())) : Optional.empty();
        Optional<SystemPackagesStage.Plan> system = build.isEmpty() ? Optional.empty()
                : systemPackages(configuration, build.get(), stages);
        Optional<ScanStage.Plan> scan = build.isPresent() && settings.scan()
                ? Optional.of(stages.scan().plan(configuration.scan())) : Optional.empty();
        build.ifPresent(plan -> ImageScan.checkBeforePush(settings, plan));
        DeployStage.Plan deploy = stages.deploy().plan(configuration.deploy(), context);
        return new RunPlan.Images(settings, context, metadata, system, build, scan, deploy);
    }

    private static Optional<SystemPackagesStage.Plan> systemPackages(Configuration configuration,
            BuildStage.Plan build, Stages stages) {
        SystemPackagesSettings packages = configuration.systemPackages();
        if (!packages.enabled()) {
            return Optional.empty();
        }
        return Optional.of(stages.system().plan(packages, build.spec()));
    }

    private void run(RunPlan.Images plan, Stages stages) {
        PipelineSettings settings = plan.settings();
        GitHubContext context = plan.context();
        Metadata metadata = stages.metadata().run(plan.metadata(), context);
        if (plan.build().isEmpty()) {
            return;
        }
        ImageMetadata forImage = metadata.forImage(plan.metadata().rules().images());
        boolean push = settings.pushesIn(context);
        Path tar = settings.tarPath() != null ? workingDirectory.resolve(settings.tarPath()) : null;
        boolean forkPullRequest = !push && tar == null && settings.push() == PushMode.AUTO;
        if (forkPullRequest) {
            tar = RunnerTemp.directory(env).resolve("pyerp-image.tar");
        }
        BuildStage.Plan build = plan.build().get();
        boolean scanFirst = plan.scan().isPresent() && settings.scanBeforePush() && push;
        boolean withSystem = plan.system().isPresent() && !forImage.imageNames().isEmpty();
        // Before a scan gate, the system image is a local tar: nothing may reach the registry unless the gate passes.
        List<SystemPackagesStage.Result> systemImages = new ArrayList<>();
        try {
            if (withSystem) {
                systemImages.add(systemImage(plan.system().get(), build, forImage, context, push && !scanFirst, stages));
            }
            BuildStage.Plan first = systemImages.isEmpty() ? build : onSystemImage(build, systemImages.get(0));
            Supplier<BuildStage.Plan> forPush = !withSystem || !scanFirst ? () -> first : () -> {
                systemImages.add(systemImage(plan.system().get(), build, forImage, context, true, stages));
                return onSystemImage(build, systemImages.get(1));
            };
            buildScanDeploy(plan, stages, first, forPush, forImage, push, tar, forkPullRequest);
        } finally {
            systemImages.forEach(Pipeline::deleteLocal);
        }
    }

    private void buildScanDeploy(RunPlan.Images plan, Stages stages, BuildStage.Plan build,
            Supplier<BuildStage.Plan> forPush, ImageMetadata forImage, boolean push, Path tar, boolean forkPullRequest) {
        PipelineSettings settings = plan.settings();
        GitHubContext context = plan.context();
        ImageScan imageScan = new ImageScan(stages.build(), stages.scan(), plan.scan(), build, forPush, env);
        ImageBuilder.Result image;
        if (plan.scan().isPresent() && settings.scanBeforePush() && push) {
            image = imageScan.scanThenPush(forImage, context.actor());
        } else {
            image = imageScan.build(forImage, push, tar, context.actor());
            if (plan.scan().isPresent()) {
                imageScan.scanBuilt(image, forImage, tar, context.actor());
            }
        }
        if (forkPullRequest) {
            workflow.notice("Not pushed", "Pull requests from forks get a read-only token, so the image was built"
                    + " to " + tar + " instead of being pushed.");
        }
        if (plan.deploy().target() != null) {
            if (!image.pushed()) {
                throw new ActionException("Nothing to deploy", "The image was not pushed (pull request from a fork),"
                        + " so there is nothing the servers could pull. Nothing was deployed.");
            }
            stages.deploy().run(plan.deploy(), image.image(), context);
        }
    }

    /**
     * The system image: found or pushed in the first image name's repository once the login may push there, or for
     * a build that does not push, a local tar.
     */
    private static SystemPackagesStage.Result systemImage(SystemPackagesStage.Plan plan, BuildStage.Plan build,
            ImageMetadata image, GitHubContext context, boolean push, Stages stages) {
        if (push) {
            stages.build().checkPushRights(build, image, context.actor());
        }
        String name = image.imageNames().get(0);
        return stages.system().run(plan, new SystemPackagesStage.Target(name,
                stages.build().credential(name, build, context.actor()), build.dockerConfig(),
                build.registry().insecureRegistries(), push));
    }

    private static BuildStage.Plan onSystemImage(BuildStage.Plan build, SystemPackagesStage.Result system) {
        return system instanceof SystemPackagesStage.Result.Pushed pushed ? build.withBaseImage(pushed.reference())
                : build.withBaseTar(((SystemPackagesStage.Result.Local) system).tar());
    }

    private static void deleteLocal(SystemPackagesStage.Result result) {
        if (result instanceof SystemPackagesStage.Result.Local local) {
            try {
                Files.deleteIfExists(local.tar());
            } catch (IOException ignored) {
                // the runner empties its temporary directory after the job
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
