package com.pyerp.deployaction;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pyerp.deployaction.action.ConsoleWorkflow;
import com.pyerp.deployaction.action.GitHubContext;
import com.pyerp.deployaction.action.JsonValue;
import com.pyerp.deployaction.action.Workflow;
import com.pyerp.deployaction.action.Workspace;
import com.pyerp.deployaction.config.Configuration;
import com.pyerp.deployaction.config.ContextSource;
import com.pyerp.deployaction.config.DeploySettings;
import com.pyerp.deployaction.config.Inputs;
import com.pyerp.deployaction.config.PipelineSettings;
import com.pyerp.deployaction.deploy.DeployStage;
import com.pyerp.deployaction.meta.MetadataStage;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan names what the deploy configuration decided for this ref, not a rule the reader has to apply. */
class RunPlanTest {

    @TempDir
    Path directory;

    @Test
    void theDeployStepSaysWhereTheRefGoes() throws Exception {
        assertEquals(new RunPlan.Step("deploy", "deploy to staging (1 host)"), deployStep("refs/heads/dev"));
    }

    @Test
    void aRefThatDeploysNowhereIsASkippedStepWithTheReason() throws Exception {
        assertEquals(new RunPlan.Step("deploy", "skipped (the ref refs/heads/main maps to no environment in deploy/deploy.yml)"),
                deployStep("refs/heads/main"));
    }

    private RunPlan.Step deployStep(String ref) throws Exception {
        Files.createDirectories(directory.resolve("deploy"));
        Files.writeString(directory.resolve("deploy/compose.yaml"), "services: {}\n");
        Files.writeString(directory.resolve("deploy/deploy.yml"), """
                environments:
                  staging:
                    branches: [dev]
                    hosts: [staging.example.com]
                    app-dir: /srv/pyerp
                """);
        Inputs inputs = Inputs.from(Map.of("INPUT_IMAGES", "127.0.0.1:1/acme/pyerp", "INPUT_DEPLOY-CONFIG",
                "deploy/deploy.yml"), Map.of());
        Configuration configuration = new Configuration(inputs, new Workspace(directory, null), Map.of(),
                ContextSource.WORKFLOW);
        PipelineSettings settings = configuration.pipeline();
        GitHubContext context = new GitHubContext("push", "0123456789abcdef", ref, "", "", "acme/pyerp", "octocat",
                "https://github.com", "http://127.0.0.1:1", "42", "1", null, JsonValue.MISSING);
        Workflow quiet = new ConsoleWorkflow(new PrintStream(OutputStream.nullOutputStream()),
                new PrintStream(OutputStream.nullOutputStream()), false);
        DeploySettings deploy = configuration.deploy();
        DeployStage.Plan decided = new DeployStage.Plan(deploy.targets().decide(context), null, null, null, null, null, deploy);
        List<RunPlan.Step> steps = new RunPlan.Images(settings, context,
                new MetadataStage(quiet, Map.of()).plan(configuration.metadata(), context), Optional.empty(), Optional.empty(),
                Optional.empty(), decided).steps();
        return steps.get(steps.size() - 1);
    }
}
