package com.pyerp.deployaction.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SwarmStatusTest {

    private static final String NEW = "127.0.0.1:5000/erp@sha256:" + "b".repeat(64);
    private static final String OLD = "127.0.0.1:5000/erp@sha256:" + "a".repeat(64);

    private static SwarmStatus status(String update, String specImage, String replicas, String... tasks) {
        StringBuilder text = new StringBuilder("replicas erp_web " + replicas + "\nreplicas erp_db 1/1\n");
        text.append("update erp_web ").append(update).append(' ').append(specImage).append(" update message here\n");
        text.append("update erp_db none mysql:8 \n");
        text.append("task erp_db.1 mysql:8 node1 Running 3 minutes ago\n");
        for (String task : tasks) {
            text.append(task).append('\n');
        }
        return SwarmStatus.parse(text.toString());
    }

    private static SwarmStatus.Verdict verdict(SwarmStatus status, String image) {
        return status.verdict(List.of("erp_web"), image);
    }

    @Test
    void convergedWhenTheSpecAndEveryRunningTaskHaveTheNewDigest() {
        SwarmStatus done = status("completed", NEW, "2/2", "task erp_web.1 " + NEW + " node1 Running 5 seconds ago",
                "task erp_web.2 " + NEW + " node2 Running 4 seconds ago");
        assertEquals(SwarmStatus.Progress.CONVERGED, verdict(done, NEW).progress());
        assertEquals("erp_web 2/2 completed, erp_db 1/1", done.progress());
    }

    @Test
    void rollingWhileUpdatingOrWhileAnOldTaskStillRuns() {
        assertEquals(SwarmStatus.Progress.ROLLING, verdict(status("updating", NEW, "2/2",
                "task erp_web.1 " + NEW + " node1 Running 1 second ago", "task erp_web.2 " + OLD + " node2 Running 1 hour ago"), NEW).progress());
        // just after docker stack deploy, before the orchestrator started: the last update's state, old tasks
        assertEquals(SwarmStatus.Progress.ROLLING, verdict(status("completed", NEW, "1/1",
                "task erp_web.1 " + OLD + " node1 Running 1 hour ago"), NEW).progress());
        assertEquals(SwarmStatus.Progress.ROLLING, verdict(status("none", NEW, "0/1",
                "task erp_web.1 " + NEW + " node1 Starting 1 second ago"), NEW).progress());
        assertEquals(SwarmStatus.Progress.ROLLING, SwarmStatus.parse("").verdict(List.of("erp_web"), NEW).progress());
    }

    @Test
    void failedWhenSwarmRolledBackOrPaused() {
        SwarmStatus.Verdict rolledBack = verdict(status("rollback_completed", OLD, "1/1",
                "task erp_web.1 " + OLD + " node1 Running 2 seconds ago"), NEW);
        assertEquals(new SwarmStatus.Verdict(SwarmStatus.Progress.FAILED, "Swarm rolled erp_web back: update message here"),
                rolledBack);
        assertEquals(new SwarmStatus.Verdict(SwarmStatus.Progress.FAILED, "Swarm paused the update of erp_web: update"
                + " message here"), verdict(status("paused", NEW, "0/1"), NEW));
    }

    @Test
    void aRollbackToTheOldDigestConvergesOnceItsTasksRun() {
        SwarmStatus back = status("rollback_completed", OLD, "1/1", "task erp_web.1 " + OLD + " node1 Running 2 seconds ago");
        assertEquals(SwarmStatus.Progress.CONVERGED, verdict(back, OLD).progress());
        assertEquals(SwarmStatus.Progress.ROLLING, verdict(status("rollback_started", OLD, "1/1",
                "task erp_web.1 " + NEW + " node1 Running 2 seconds ago"), OLD).progress());
    }
}
