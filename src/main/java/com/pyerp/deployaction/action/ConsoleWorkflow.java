package com.pyerp.deployaction.action;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The command-line face: log lines go to stderr; outputs ({@code name=value}) and the summary go to stdout at
 * the end, so a script can read them. A multi-line output is printed in the runner's {@code name<<EOF} form.
 */
public final class ConsoleWorkflow extends Workflow {

    private final PrintStream out;
    private final PrintStream log;
    private final boolean debug;
    private final Map<Output, String> outputs = new LinkedHashMap<>();
    private final StringBuilder summary = new StringBuilder();

    public ConsoleWorkflow(PrintStream out, PrintStream log, boolean debug) {
        this.out = out;
        this.log = log;
        this.debug = debug;
    }

    @Override
    public void info(String line) {
        log.println(redact(line));
    }

    @Override
    public void debug(String line) {
        if (debug) {
            log.println("debug: " + redact(line));
        }
    }

    @Override
    public void annotate(Annotation annotation) {
        String where = annotation.file() == null ? "" : " (" + annotation.file()
                + (annotation.line() > 0 ? ":" + annotation.line() : "") + ")";
        log.println(annotation.level().command() + ": " + redact(annotation.title()) + ": "
                + redact(annotation.message()) + where);
    }

    @Override
    public void startGroup(String title) {
        log.println("== " + redact(title));
    }

    @Override
    public void endGroup() {}

    @Override
    public void setOutput(Output output, String value) {
        outputs.put(output, value);
    }

    @Override
    public void summary(String markdown) {
        summary.append(markdown);
    }

    @Override
    public void finish() {
        outputs.forEach((output, value) -> {
            String shown = redact(value);
            out.println(shown.contains("\n") ? output.id() + "<<EOF\n" + shown + "\nEOF" : output.id() + "=" + shown);
        });
        if (summary.length() > 0) {
            out.println();
            out.print(redact(summary.toString()));
        }
        out.flush();
    }
}
