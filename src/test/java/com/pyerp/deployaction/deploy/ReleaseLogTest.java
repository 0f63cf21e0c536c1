package com.pyerp.deployaction.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.pyerp.deployaction.action.ActionException;
import org.junit.jupiter.api.Test;

/** Which release a rollback goes back to, from the running image and the release log. */
class ReleaseLogTest {

    private static final String A = "r/app@sha256:" + "a".repeat(64);
    private static final String B = "r/app@sha256:" + "b".repeat(64);
    private static final String C = "r/app@sha256:" + "c".repeat(64);

    private static String line(String outcome, String image, String previous) {
        return "2026-12-07T10:00:00Z production " + outcome + " " + image + " previous=" + previous + " sha=0123 run=-\n";
    }

    @Test
    void theReleaseBeforeTheRunningOneIsTheLastDeployedLinesPrevious() {
        String log = line("deployed", A, "-") + line("deployed", B, A)
                + line("failed health check, not rolled back", C, B) + line("deployed", C, B)
                + line("rolled back", A, C);
        assertEquals(B, ReleaseLog.rollbackTarget(C + "\n---\n" + log, "h"));
        assertEquals(A, ReleaseLog.rollbackTarget(B + "\n---\n" + log, "h"));
        assertEquals(C, ReleaseLog.rollbackTarget(B + "\n---\n" + log + line("deployed", B, C), "h"),
                "after a rollback to B, the next one goes forward to C");
    }

    @Test
    void withoutAnEarlierReleaseTheRollbackSaysWhatToSet() {
        ActionException first = assertThrows(ActionException.class, () -> ReleaseLog.rollbackTarget(
                A + "\n---\n" + line("deployed", A, "-"), "deploy@erp1:22"));
        assertEquals("deploy@erp1:22: .deploy/releases.log names no release before " + A + ". Set previous-image to"
                + " the image to run.", first.getMessage());
        ActionException none = assertThrows(ActionException.class, () -> ReleaseLog.rollbackTarget("---\n", "h"));
        assertEquals("Nothing to roll back", none.title());
    }
}
