package com.pyerp.deployaction.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A deploy that lost its lock, and a server whose app-dir has no room: each stops before it can do harm. */
class DeployHardeningIT {

    @TempDir
    Path workspace;

    @Test
    void aDeployWhoseLockWasTakenOverStopsWithoutTouchingTheServer() throws Exception {
        try (DeployFixture app = new DeployFixture(workspace, 18501)) {
            app.run(app.env(), 0);
            app.version("v2", false);
            DeployFixture.Run run = app.start(app.env("INPUT_LOCK-TIMEOUT", "6s", "INPUT_HEALTH-TIMEOUT", "60s"));
            for (int i = 0; i < 1200 && !app.probe().equals("HTTP 404"); i++) {
                Thread.sleep(100);
            }
            assertEquals("HTTP 404", app.probe(), "the new, unhealthy release serves: " + run.log());

            // Another deploy presumed this one dead, took the lock over and wrote its own files.
            Path owner = Path.of(app.appDir, ".deploy/lock/owner");
            Files.writeString(owner, "other-token\n" + Instant.now().getEpochSecond() + "\nbob run 2\n600\n");
            String theirs = "# written by the deploy that holds the lock now\n" + app.onServer("compose.yaml");
            Files.writeString(Path.of(app.appDir, "compose.yaml"), theirs);

            assertEquals(1, run.exitCode(), run.log());
            List<String> errors = run.log().lines().filter(line -> line.startsWith("::error")).toList();
            assertEquals(1, errors.size(), run.log());
            assertTrue(errors.get(0).startsWith("::error title=Deploy lock lost::deploy@127.0.0.1:"), errors.get(0));
            assertTrue(errors.get(0).contains("changes nothing more"), errors.get(0));
            assertFalse(run.log().contains("rolling back"), run.log());
            assertEquals(theirs, app.onServer("compose.yaml"), "the new holder's files stay");
            assertEquals("HTTP 404", app.probe(), "no rollback: what runs is the new holder's business");
            assertTrue(Files.readString(owner).startsWith("other-token\n"), "the lock stays with its new holder");
        }
    }

    @Test
    void anAppDirOnAFullDiskIsRefusedInPreflightAndNothingIsMade() throws Exception {
        try (DeployFixture app = new DeployFixture(workspace, 18502)) {
            String user = app.services.get("SSH_USER");
            String ids = "uid=" + Processes.run("id", "-u", user).output().strip() + ",gid="
                    + Processes.run("id", "-g", user).output().strip();
            Processes.Result mount = Processes.run("mount", "-t", "tmpfs", "-o", "size=1m,mode=0755," + ids, "tmpfs",
                    app.serverRoot.toString());
            assertEquals(0, mount.exitCode(), mount.output());
            try {
                app.run(app.env(), 1);
                assertEquals(1, app.errors().size(), app.log());
                String error = app.errors().get(0);
                assertTrue(error.startsWith("::error title=Server not ready::deploy@127.0.0.1:"), error);
                assertTrue(error.contains("only 1 MB are free in " + app.appDir + ", less than min-free-disk-mb (1024)"), error);
                assertFalse(Files.exists(Path.of(app.appDir)), "nothing was made on the server");
            } finally {
                Processes.run("umount", app.serverRoot.toString());
            }
        }
    }
}
