package com.pyerp.deployaction;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pyerp.deployaction.action.GitHubContext;
import com.pyerp.deployaction.action.Inputs;
import com.pyerp.deployaction.action.JsonValue;
import com.pyerp.deployaction.deploy.DeployTarget;
import com.pyerp.deployaction.deploy.DeployTargets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plan names what the deploy configuration decided for this ref, not a rule the reader has to apply. */
class DryPlanTest {

    private static final GitHubContext CONTEXT = new GitHubContext("push", "0123456789abcdef", "refs/heads/dev", "", "",
            "acme/pyerp", "octocat", "https://github.com", "http://127.0.0.1:1", "42", "1", null, JsonValue.MISSING);

    @Test
    void theDeployStepSaysWhereTheRefGoes() {
        DeployTarget staging = new DeployTarget("staging", List.of(), null, "/srv/pyerp", "pyerp", null, null, List.of(),
                List.of(), null, Duration.ofMinutes(10), null, null, 1, Duration.ofMinutes(10), 3, 1024, true);

        DryPlan.Step step = deployStep(new DeployTargets.Decision(staging, "deploy to staging (1 host)"));

        assertEquals(new DryPlan.Step("deploy", "deploy to staging (1 host)", true, true), step);
    }

    @Test
    void aRefThatDeploysNowhereIsASkippedStepWithTheReason() {
        DryPlan.Step step = deployStep(new DeployTargets.Decision(null,
                "skipped (refs/heads/dev maps to no environment in deploy/deploy.yml)"));

        assertEquals(new DryPlan.Step("deploy", "skipped (refs/heads/dev maps to no environment in deploy/deploy.yml)",
                false, true), step);
    }

    private static DryPlan.Step deployStep(DeployTargets.Decision decision) {
        PipelineSettings settings = PipelineSettings.from(Inputs.from(Map.of("INPUT_BUILD", "false"), Map.of()), "workflow");
        List<DryPlan.Step> steps = DryPlan.of(settings, CONTEXT, decision).steps();
        return steps.get(steps.size() - 1);
    }
}
