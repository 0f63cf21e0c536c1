package com.pyerp.deployaction.action;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything the action says to the outside world: log lines, groups, annotations, masks, outputs and the
 * job summary. {@link RunnerWorkflow} speaks the runner's workflow-command protocol; {@link ConsoleWorkflow}
 * prints plain text for the command line. Both redact every masked value from what they print.
 */
public abstract class Workflow {

    private static final Pattern LINE_BREAK = Pattern.compile("\\r?\\n");
    private final Set<String> secrets = new LinkedHashSet<>();

    public abstract void info(String line);

    /**
     * A line that a server or a container printed. It may look like a workflow command (a compromised server or
     * migration printing {@code ::add-mask::} or {@code ::error::}), so the runner must never act on it.
     */
    public void untrusted(String line) {
        info(line);
    }

    public abstract void debug(String line);

    public abstract void annotate(Annotation annotation);

    public abstract void startGroup(String title);

    public abstract void endGroup();

    public abstract void setOutput(Output output, String value);

    /** Appends Markdown to the job summary. */
    public abstract void summary(String markdown);

    /** Called once at the end of the run, failed or not. */
    public void finish() {}

    /** Registers a secret before anything could print it. Each line of a multi-line secret is masked too. */
    public void mask(String secret) {
        if (secret == null || secret.isBlank()) {
            return;
        }
        announceMask(secret);
        secrets.add(secret);
        if (secret.contains("\n")) {
            for (String line : LINE_BREAK.split(secret)) {
                if (!line.isBlank() && secrets.add(line.strip())) {
                    announceMask(line.strip());
                }
            }
        }
    }

    protected void announceMask(String secret) {}

    /** Replaces every registered secret with {@code ***}, longest first so no fragment of one is left. */
    protected String redact(String text) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String redacted = text;
        for (String secret : secrets.stream().sorted((a, b) -> b.length() - a.length()).toList()) {
            redacted = redacted.replace(secret, "***");
        }
        return redacted;
    }

    public final void error(String title, String message) {
        annotate(Annotation.error(title, message));
    }

    public final void warning(String title, String message) {
        annotate(Annotation.warning(title, message));
    }

    public final void notice(String title, String message) {
        annotate(Annotation.notice(title, message));
    }

    /** Runs {@code body} inside a collapsible log group. */
    public final void group(String title, Runnable body) {
        startGroup(title);
        try {
            body.run();
        } finally {
            endGroup();
        }
    }
}
