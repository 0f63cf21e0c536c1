package com.pyerp.deployaction.deploy;

import com.pyerp.deployaction.action.Workflow;
import com.pyerp.deployaction.ssh.CommandResult;
import com.pyerp.deployaction.ssh.OutputListener;
import com.pyerp.deployaction.ssh.RemoteCommand;
import com.pyerp.deployaction.ssh.RemoteShell;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The log of one host's deploy, one collapsible group per step. With one host the lines are printed as they
 * come. With several hosts working at once, groups cannot interleave, so each step's lines are kept and
 * printed as one group when the step ends.
 */
final class HostLog {

    private final Workflow workflow;
    private final String host;
    private final boolean live;
    private final List<Line> buffer = new ArrayList<>();

    /** A line kept until its step ends; {@code untrusted} when a server printed it. */
    private record Line(String text, boolean untrusted) {}

    HostLog(Workflow workflow, String host, boolean live) {
        this.workflow = workflow;
        this.host = host;
        this.live = live;
    }

    String host() {
        return host;
    }

    <T> T step(String title, Supplier<T> body) {
        String heading = host + " · " + title;
        long started = System.nanoTime();
        if (live) {
            workflow.startGroup(heading);
            try {
                return body.get();
            } finally {
                workflow.info(took(started));
                workflow.endGroup();
            }
        }
        try {
            return body.get();
        } finally {
            info(took(started));
            List<Line> lines;
            synchronized (buffer) {
                lines = List.copyOf(buffer);
                buffer.clear();
            }
            synchronized (workflow) {
                workflow.startGroup(heading);
                lines.forEach(line -> {
                    if (line.untrusted()) {
                        workflow.untrusted(line.text());
                    } else {
                        workflow.info(line.text());
                    }
                });
                workflow.endGroup();
            }
        }
    }

    private static String took(long started) {
        return String.format(java.util.Locale.ROOT, "(%.2f s)", (System.nanoTime() - started) / 1e9);
    }

    void step(String title, Runnable body) {
        step(title, () -> {
            body.run();
            return null;
        });
    }

    void info(String line) {
        print(new Line(line, false));
    }

    /** A line a server printed, indented under the command that printed it. */
    void remote(String line) {
        print(new Line("  " + line, true));
    }

    private void print(Line line) {
        if (!live) {
            synchronized (buffer) {
                buffer.add(line);
            }
        } else if (line.untrusted()) {
            workflow.untrusted(line.text());
        } else {
            workflow.info(line.text());
        }
    }

    void warning(String title, String message) {
        synchronized (workflow) {
            workflow.warning(title, host + ": " + message);
        }
    }

    void notice(String title, String message) {
        synchronized (workflow) {
            workflow.notice(title, message);
        }
    }

    /** Remote output, indented under the command that printed it. */
    OutputListener output() {
        return (stderr, line) -> remote(line);
    }

    /** Shows the command as a user would type it, then runs it with its output under it. */
    CommandResult run(RemoteShell shell, RemoteCommand command) {
        info("$ " + command.display());
        return shell.run(command, output());
    }
}
