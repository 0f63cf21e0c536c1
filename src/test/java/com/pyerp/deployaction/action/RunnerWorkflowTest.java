package com.pyerp.deployaction.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerWorkflowTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    private RunnerWorkflow workflow() {
        return new RunnerWorkflow(new PrintStream(stdout, true, StandardCharsets.UTF_8),
                dir.resolve("output"), dir.resolve("summary"));
    }

    private String log() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    @Test
    void multiLineOutputsSurviveTheRunnersParser() throws IOException {
        RunnerWorkflow workflow = workflow();
        String tags = "ghcr.io/o/app:main\nghcr.io/o/app:sha-abc1234\r\nghcr.io/o/app:edge";
        String tricky = "EOF\n<<EOF\nname=value\n%0A 100% \n\nlast";
        workflow.setOutput(Output.TAGS, tags);
        workflow.setOutput(Output.JSON, tricky);
        workflow.setOutput(Output.VERSION, "");
        workflow.setOutput(Output.DIGEST, "sha256:abc");

        Map<String, String> parsed = RunnerFileCommands.parse(Files.readString(dir.resolve("output")));

        assertEquals(Map.of("tags", tags, "json", tricky, "version", "", "digest", "sha256:abc"), parsed);
    }

    @Test
    void eachOutputGetsItsOwnRandomDelimiter() throws IOException {
        RunnerWorkflow workflow = workflow();
        workflow.setOutput(Output.VERSION, "1");
        workflow.setOutput(Output.DIGEST, "2");
        String[] lines = Files.readString(dir.resolve("output")).split("\n");
        assertTrue(lines[0].matches("version<<ghadelimiter_[0-9a-f]{2,32}"), lines[0]);
        assertFalse(lines[0].substring(9).equals(lines[3].substring(8)));
    }

    @Test
    void aServersLineThatLooksLikeACommandIsPrintedWhileCommandsAreStopped() {
        RunnerWorkflow workflow = workflow();
        workflow.untrusted("  ::add-mask::nothing");
        workflow.untrusted("  ##[error]legacy");
        workflow.untrusted("  plain output");
        List<String> lines = log().lines().toList();
        assertEquals(7, lines.size(), log());
        for (int at : List.of(0, 3)) {
            assertTrue(lines.get(at).matches("::stop-commands::[0-9a-f]{32}"), lines.get(at));
            String token = lines.get(at).substring("::stop-commands::".length());
            assertEquals("::" + token + "::", lines.get(at + 2));
        }
        assertNotEquals(lines.get(0), lines.get(3), "a fresh token each time");
        assertEquals(List.of("  ::add-mask::nothing", "  ##[error]legacy", "  plain output"),
                List.of(lines.get(1), lines.get(4), lines.get(6)));
    }

    @Test
    void annotationsEscapeDataAndProperties() {
        workflow().annotate(Annotation.error("Bad: a, b", "100% wrong\r\nsecond line").at("deploy.yml", 12));
        assertEquals("::error title=Bad%3A a%2C b,file=deploy.yml,line=12::100%25 wrong%0D%0Asecond line\n", log());
    }

    @Test
    void warningsAndNoticesWithoutProperties() {
        RunnerWorkflow workflow = workflow();
        workflow.annotate(new Annotation(Annotation.Level.WARNING, null, "careful", null, 0));
        workflow.notice("Push skipped", "fork");
        assertEquals("::warning::careful\n::notice title=Push skipped::fork\n", log());
    }

    @Test
    void masksEachLineOfAMultiLineSecretAndRedactsWhatItPrints() {
        RunnerWorkflow workflow = workflow();
        workflow.mask("-----BEGIN KEY-----\nAAAAsecretline\n-----END KEY-----\n");
        workflow.info("key is AAAAsecretline here");
        workflow.error("t", "AAAAsecretline");
        String log = log();
        assertTrue(log.startsWith("::add-mask::-----BEGIN KEY-----%0AAAAAsecretline%0A-----END KEY-----%0A\n"), log);
        assertTrue(log.contains("::add-mask::AAAAsecretline\n"));
        assertTrue(log.contains("key is *** here\n"));
        assertTrue(log.contains("::error title=t::***\n"));
    }

    @Test
    void groupsAndSummary() throws IOException {
        RunnerWorkflow workflow = workflow();
        workflow.group("Context", () -> workflow.info("line"));
        workflow.summary("### title\n");
        workflow.summary("| a |\n");
        assertEquals("::group::Context\nline\n::endgroup::\n", log());
        assertEquals("### title\n| a |\n", Files.readString(dir.resolve("summary")));
    }

    @Test
    void missingOutputFileIsAClearError() {
        RunnerWorkflow workflow = new RunnerWorkflow(new PrintStream(stdout), null, null);
        ActionException e = org.junit.jupiter.api.Assertions.assertThrows(ActionException.class,
                () -> workflow.setOutput(Output.VERSION, "1"));
        assertTrue(e.getMessage().contains("$GITHUB_OUTPUT"));
    }
}
