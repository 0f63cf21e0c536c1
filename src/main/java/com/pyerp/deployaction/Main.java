package com.pyerp.deployaction;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.ConsoleWorkflow;
import com.pyerp.deployaction.action.RunnerWorkflow;
import com.pyerp.deployaction.action.Workflow;
import com.pyerp.deployaction.config.ActionManifest;
import com.pyerp.deployaction.config.CommandLine;
import com.pyerp.deployaction.config.Input;
import com.pyerp.deployaction.config.Inputs;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Entry point: picks the runner or command-line face, runs the pipeline and maps failures to exit codes. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        // The runner's log is UTF-8 whatever the JVM's locale says.
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        System.exit(run(args, System.getenv(), out, err, Path.of("")));
    }

    /** Runs the action and returns the process exit code: 0 on success, 1 on any failure. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, Path workingDirectory) {
        boolean onRunner = "true".equals(env.get("GITHUB_ACTIONS"));
        boolean debug = "1".equals(env.get("RUNNER_DEBUG"));
        Workflow workflow = onRunner
                ? new RunnerWorkflow(out, path(env.get("GITHUB_OUTPUT")), path(env.get("GITHUB_STEP_SUMMARY")))
                : new ConsoleWorkflow(out, err, debug);
        try {
            CommandLine commandLine = onRunner ? CommandLine.parse() : CommandLine.parse(args);
            if (commandLine.version()) {
                out.println(version());
                return 0;
            }
            if (commandLine.help()) {
                out.print(CommandLine.usage(ActionManifest.load()));
                return 0;
            }
            Inputs inputs = Inputs.from(env, commandLine.values());
            for (Input secret : Inputs.SECRETS) {
                workflow.mask(inputs.string(secret));
            }
            new Pipeline(workflow, inputs, env, workingDirectory, onRunner).run();
            return 0;
        } catch (ActionException e) {
            workflow.error(e.title(), e.getMessage());
            if (debug) {
                e.printStackTrace(err);
            }
            return 1;
        } catch (RuntimeException | Error e) {
            workflow.error("Unexpected failure", describe(e) + (debug ? ""
                    : " Re-run the job with debug logging (RUNNER_DEBUG=1) to see where it happened."));
            if (debug) {
                e.printStackTrace(err);
            }
            return 1;
        } finally {
            workflow.finish();
        }
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? "an internal error occurred." : message;
    }

    private static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return "pyerp-deploy-action " + (version == null ? "development build" : version);
    }

    private static Path path(String value) {
        return value == null || value.isBlank() ? null : Path.of(value);
    }
}
