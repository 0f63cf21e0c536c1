package com.pyerp.deployaction.action;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleWorkflowTest {

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final ConsoleWorkflow workflow = new ConsoleWorkflow(
            new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8), false);

    @Test
    void outputsAsNameValueAndSummaryAsTextOnStdout() {
        workflow.setOutput(Output.VERSION, "1.2.3");
        workflow.setOutput(Output.TAGS, "a:1\na:2");
        workflow.summary("### Summary\n");
        workflow.finish();
        assertEquals("version=1.2.3\ntags<<EOF\na:1\na:2\nEOF\n\n### Summary\n", stdout.toString(StandardCharsets.UTF_8));
    }

    @Test
    void logAndAnnotationsOnStderrWithSecretsRedacted() {
        workflow.mask("s3cr3t");
        workflow.group("Deploy", () -> workflow.info("token s3cr3t"));
        workflow.annotate(Annotation.error("Invalid input: push", "bad s3cr3t").at("deploy.yml", 3));
        workflow.debug("hidden without debug");
        assertEquals("== Deploy\ntoken ***\nerror: Invalid input: push: bad *** (deploy.yml:3)\n",
                stderr.toString(StandardCharsets.UTF_8));
    }
}
