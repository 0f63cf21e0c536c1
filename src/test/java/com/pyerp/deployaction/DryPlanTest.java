package com.pyerp.deployaction;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pyerp.deployaction.action.GitHubContext;
import com.pyerp.deployaction.action.Inputs;
import com.pyerp.deployaction.action.JsonValue;
import com.pyerp.deployaction.action.Workspace;
import com.pyerp.deployaction.config.ContextSource;
import com.pyerp.deployaction.config.PipelineSettings;
import com.pyerp.deployaction.deploy.DeployTargets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan names what the deploy configuration decided for this ref, not a rule the reader has to apply. */
class DryPlanTest {

    @TempDir
    Path directory;

    @Test
    void theDeployStepSaysWhereTheRefGoes() throws Exception {
        assertEquals(new DryPlan.Step("deploy", "deploy to staging (1 host)"), deployStep("refs/heads/dev"));
    }

    @Test
    void aRefThatDeploysNowhereIsASkippedStepWithTheReason() throws Exception {
        assertEquals(new DryPlan.Step("deploy", "skipped (the ref refs/heads/main maps to no environment in deploy/deploy.yml)"),
                deployStep("refs/heads/main"));
    }

    private DryPlan.Step deployStep(String ref) throws Exception {
        Files.createDirectories(directory.resolve("deploy"));
        Files.writeString(directory.resolve("deploy/compose.yaml"), "services: {}\n");
        Files.writeString(directory.resolve("deploy/deploy.yml"), """
                environments:
                  staging:
                    branches: [dev]
                    hosts: [staging.example.com]
                    app-dir: /srv/pyerp
                """);
        Inputs inputs = Inputs.from(Map.of("INPUT_BUILD", "false", "INPUT_DEPLOY-CONFIG", "deploy/deploy.yml"), Map.of());
        PipelineSettings settings = PipelineSettings.from(inputs, ContextSource.WORKFLOW);
        GitHubContext context = new GitHubContext("push", "0123456789abcdef", ref, "", "", "acme/pyerp", "octocat",
                "https://github.com", "http://127.0.0.1:1", "42", "1", null, JsonValue.MISSING);
        List<DryPlan.Step> steps = DryPlan.of(settings, context, new DeployTargets(inputs, settings, new Workspace(directory, null)).decide(context)).steps();
        return steps.get(steps.size() - 1);
    }
}
