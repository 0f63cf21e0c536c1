package com.pyerp.deployaction.deploy;

import com.pyerp.deployaction.action.ActionException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@code .deploy/releases.log} for a rollback: which release came before the one running now. */
final class ReleaseLog {

    private static final Pattern DEPLOYED = Pattern.compile("^\\S+ \\S+ deployed (\\S+) previous=(\\S+)( .*)?$");

    private ReleaseLog() {}

    /**
     * The image to roll back to, from {@link ReleaseCommands#releaseHistory}'s output: the {@code previous=} of the
     * last successful release of the image running now.
     */
    static String rollbackTarget(String history, String host) {
        int separator = history.indexOf("---\n");
        String running = separator < 0 ? "" : history.substring(0, separator).strip();
        if (running.isEmpty()) {
            throw new ActionException("Nothing to roll back", host + ": nothing was deployed here yet (app-dir has no"
                    + " .deploy/current-image). Set previous-image to the image to run.");
        }
        List<String> lines = history.substring(separator + 4).lines().toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            Matcher line = DEPLOYED.matcher(lines.get(i));
            if (line.matches() && line.group(1).equals(running)) {
                if (line.group(2).equals("-")) {
                    break;
                }
                if (!line.group(2).contains("@sha256:")) {
                    throw new ActionException("Nothing to roll back", host + ": .deploy/releases.log names "
                            + line.group(2) + " before " + running + ", which is not an image by digest. Set"
                            + " previous-image to the image to run, by digest.");
                }
                return line.group(2);
            }
        }
        throw new ActionException("Nothing to roll back", host + ": .deploy/releases.log names no release before "
                + running + ". Set previous-image to the image to run.");
    }
}
