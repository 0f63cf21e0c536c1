package com.pyerp.deployaction.action;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Workflow commands as the GitHub Actions runner reads them: stdout commands plus the output and summary files. */
public final class RunnerWorkflow extends Workflow {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final PrintStream out;
    private final Path outputFile;
    private final Path summaryFile;

    /** {@code outputFile} and {@code summaryFile} are {@code $GITHUB_OUTPUT} and {@code $GITHUB_STEP_SUMMARY}; either may be null. */
    public RunnerWorkflow(PrintStream out, Path outputFile, Path summaryFile) {
        this.out = out;
        this.outputFile = outputFile;
        this.summaryFile = summaryFile;
    }

    /** Escapes a command's message the way the runner unescapes it. */
    public static String escapeData(String value) {
        return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    /** Escapes a command property (title, file); these also end at ',' and ':'. */
    public static String escapeProperty(String value) {
        return escapeData(value).replace(":", "%3A").replace(",", "%2C");
    }

    @Override
    public void info(String line) {
        out.println(redact(line));
    }

    /** Between {@code ::stop-commands::TOKEN} and {@code ::TOKEN::} the runner prints commands without running them. */
    @Override
    public void untrusted(String line) {
        String shown = redact(line);
        if (!shown.contains("::") && !shown.contains("##[")) {
            out.println(shown);
            return;
        }
        String token = HexFormat.of().formatHex(RANDOM.generateSeed(16));
        synchronized (out) {
            out.println("::stop-commands::" + token);
            out.println(shown);
            out.println("::" + token + "::");
        }
    }

    @Override
    public void debug(String line) {
        out.println("::debug::" + escapeData(redact(line)));
    }

    @Override
    public void annotate(Annotation annotation) {
        StringBuilder properties = new StringBuilder();
        appendProperty(properties, "title", annotation.title());
        appendProperty(properties, "file", annotation.file());
        if (annotation.line() > 0) {
            appendProperty(properties, "line", Integer.toString(annotation.line()));
        }
        out.println("::" + annotation.level().command() + (properties.length() > 0 ? " " + properties : "") + "::"
                + escapeData(redact(annotation.message())));
    }

    @Override
    protected void announceMask(String secret) {
        out.println("::add-mask::" + escapeData(secret));
    }

    @Override
    public void startGroup(String title) {
        out.println("::group::" + escapeData(redact(title)));
    }

    @Override
    public void endGroup() {
        out.println("::endgroup::");
    }

    /** Writes {@code name<<DELIMITER}, the value and the delimiter, with a fresh random delimiter. */
    @Override
    public void setOutput(Output output, String value) {
        if (outputFile == null) {
            throw new ActionException("GITHUB_OUTPUT is not set",
                    "The runner did not provide $GITHUB_OUTPUT, so output '" + output.id() + "' cannot be set."
                            + " Use GitHub Actions runner 2.297.0 or newer.");
        }
        // Unpredictability is not needed (the value is checked for the delimiter); SecureRandom costs start-up time.
        String delimiter = "ghadelimiter_" + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + Long.toHexString(ThreadLocalRandom.current().nextLong());
        if (value.contains(delimiter)) {
            throw new IllegalStateException("output " + output.id() + " contains its own delimiter");
        }
        append(outputFile, output.id() + "<<" + delimiter + "\n" + value + "\n" + delimiter + "\n");
    }

    @Override
    public void summary(String markdown) {
        if (summaryFile != null) {
            append(summaryFile, redact(markdown));
        }
    }

    private void appendProperty(StringBuilder properties, String name, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        if (properties.length() > 0) {
            properties.append(',');
        }
        properties.append(name).append('=').append(escapeProperty(redact(value)));
    }

    private static void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
