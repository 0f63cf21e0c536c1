package com.pyerp.deployaction.deploy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.pyerp.deployaction.action.ConsoleWorkflow;
import com.pyerp.deployaction.action.GitHubContext;
import com.pyerp.deployaction.action.JsonValue;
import com.pyerp.deployaction.config.DeployTarget;
import com.pyerp.deployaction.ssh.SshEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The deployment record against WireMock, with the request bodies GitHub documents for the REST API. */
class GitHubDeploymentsTest {

    private WireMockServer api;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private ConsoleWorkflow workflow;

    @BeforeEach
    void start() {
        api = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        api.start();
        PrintStream print = new PrintStream(log, true, StandardCharsets.UTF_8);
        workflow = new ConsoleWorkflow(print, print, false);
    }

    @AfterEach
    void stop() {
        api.stop();
    }

    private GitHubContext context() {
        return new GitHubContext("push", "0123456789abcdef0123456789abcdef01234567", "refs/heads/prod", "", "", "acme/pyerp",
                "octocat", "https://github.com", api.baseUrl(), "42", "1", null, JsonValue.MISSING);
    }

    private static DeployTarget target() {
        return new DeployTarget("production", List.of(new SshEndpoint("deploy", "erp1", 22)), null, "/srv/pyerp", "pyerp",
                Path.of("compose.yaml"), null, List.of(), List.of(), "", Duration.ofMinutes(1), null, "https://erp.example.com",
                1, Duration.ofMinutes(10), 3, 1024, true, null, null);
    }

    @Test
    void createsTheDeploymentAndPostsInProgressThenSuccessAsGitHubDocumentsThem() {
        api.stubFor(get("/repos/acme/pyerp").willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"id\":1,\"name\":\"pyerp\",\"full_name\":\"acme/pyerp\",\"owner\":{\"login\":\"acme\"},"
                        + "\"url\":\"" + api.baseUrl() + "/repos/acme/pyerp\"}")));
        api.stubFor(post("/repos/acme/pyerp/deployments").willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\":7,\"sha\":\"0123456789abcdef0123456789abcdef01234567\",\"environment\":\"production\","
                        + "\"url\":\"" + api.baseUrl() + "/repos/acme/pyerp/deployments/7\","
                        + "\"statuses_url\":\"" + api.baseUrl() + "/repos/acme/pyerp/deployments/7/statuses\"}")));
        api.stubFor(post("/repos/acme/pyerp/deployments/7/statuses").willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":70,\"state\":\"success\"}")));

        GitHubDeployments deployments = GitHubDeployments.of(workflow, context(), "ghs_token");
        GitHubDeployments.Deployment deployment = deployments.start(target(), "ghcr.io/acme/pyerp@sha256:abc", context());
        assertEquals(7, deployment.id());
        deployments.finish(deployment, target(), true, context(), "Deployed ghcr.io/acme/pyerp@sha256:abc");

        api.verify(postRequestedFor(urlEqualTo("/repos/acme/pyerp/deployments"))
                .withHeader("Authorization", equalTo("token ghs_token"))
                .withRequestBody(equalToJson("{\"ref\":\"0123456789abcdef0123456789abcdef01234567\",\"environment\":\"production\","
                        + "\"description\":\"Deploy ghcr.io/acme/pyerp@sha256:abc\",\"auto_merge\":false,\"required_contexts\":[],"
                        + "\"production_environment\":true,\"transient_environment\":false,\"task\":\"deploy\"}")));
        api.verify(postRequestedFor(urlEqualTo("/repos/acme/pyerp/deployments/7/statuses"))
                .withRequestBody(equalToJson("{\"state\":\"in_progress\",\"environment_url\":\"https://erp.example.com\","
                        + "\"log_url\":\"https://github.com/acme/pyerp/actions/runs/42/attempts/1\",\"description\":\"Deploying\"}")));
        api.verify(postRequestedFor(urlEqualTo("/repos/acme/pyerp/deployments/7/statuses"))
                .withRequestBody(equalToJson("{\"state\":\"success\",\"environment_url\":\"https://erp.example.com\","
                        + "\"log_url\":\"https://github.com/acme/pyerp/actions/runs/42/attempts/1\","
                        + "\"description\":\"Deployed ghcr.io/acme/pyerp@sha256:abc\",\"auto_inactive\":true}")));
        assertEquals(0, api.findAll(postRequestedFor(urlEqualTo("/repos/acme/pyerp/deployments/7/statuses"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("in-progress"))).size());
        assertTrue(log.toString(StandardCharsets.UTF_8).isEmpty(), log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anApiFailureIsAWarningNotAFailedDeploy() {
        api.stubFor(get("/repos/acme/pyerp").willReturn(aResponse().withStatus(403).withBody("{\"message\":\"Resource not accessible by integration\"}")));
        GitHubDeployments deployments = GitHubDeployments.of(workflow, context(), "ghs_token");
        assertNull(deployments.start(target(), "img", context()));
        deployments.finish(null, target(), false, context(), "failed");
        String output = log.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("GitHub deployment not recorded") && output.contains("deployments: write"), output);
    }

    @Test
    void withoutATokenNothingIsSent() {
        assertNull(GitHubDeployments.of(workflow, context(), "").start(target(), "img", context()));
        assertEquals(0, api.getAllServeEvents().size());
    }

    /** The status is public on a public repository, and the runner's masking does not reach the API. */
    @Test
    void aFailedDeploymentTellsTheKindOfFailureNeverItsMessage() {
        assertEquals("Deploy failed: Migration failed. The workflow run's log says why.", DeployStage.publicDescription(
                new com.pyerp.deployaction.action.ActionException("Migration failed", "h1: DB_PASSWORD=hunter2 rejected")));
        assertEquals("Deploy failed. The workflow run's log says why.",
                DeployStage.publicDescription(new IllegalStateException("mysql://u:pw@db/x")));
    }
}
