package com.pyerp.deployaction.scan;

import com.pyerp.deployaction.results.Severity;
import com.pyerp.deployaction.scan.osv.Finding;
import java.time.LocalDate;
import java.util.List;

/**
 * The one filter that decides the exit code, the table and the SARIF alike: findings at or above the threshold,
 * not ignored, and fixable when unfixed ones are ignored.
 */
public record Gate(Severity threshold, boolean ignoreUnfixed, IgnoreList ignore) {

    /** @param reported what the table, the SARIF and the exit code show; the counts say what was left out */
    public record Outcome(List<Finding> reported, int belowThreshold, int ignored, int unfixed) {
        public boolean passed() {
            return reported.isEmpty();
        }
    }

    public Outcome apply(List<Finding> findings, LocalDate today) {
        int ignored = 0;
        int unfixed = 0;
        int below = 0;
        java.util.ArrayList<Finding> reported = new java.util.ArrayList<>();
        for (Finding finding : findings) {
            if (ignore.ignores(finding, today)) {
                ignored++;
            } else if (ignoreUnfixed && !finding.fixable()) {
                unfixed++;
            } else if (finding.severity().compareTo(threshold) < 0) {
                below++;
            } else {
                reported.add(finding);
            }
        }
        return new Outcome(List.copyOf(reported), below, ignored, unfixed);
    }
}
