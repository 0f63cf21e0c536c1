package com.pyerp.deployaction.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.testing.Processes;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Build, push and deploy with the action against the real sshd, dockerd and docker-compose on loopback. */
class DeployIT {

    @TempDir
    Path workspace;

    @Test
    void happyPathRunsTheDigestTheActionReportedAndRecordsTheRelease() throws Exception {
        try (DeployFixture app = new DeployFixture(workspace, 18101)) {
            Map<String, String> first = app.run(app.env(), 0);
            String image = first.get("image");
            assertTrue(image.startsWith(app.repository + "@sha256:"), image);
            assertEquals("true", first.get("deployed"));
            assertEquals("production", first.get("environment"));
            assertEquals("", first.get("previous-image"));
            assertEquals("v1", app.probe());
            List<String> containers = app.containers();
            assertEquals(1, containers.size());
            assertEquals(image + "\n", Processes.run("docker", "inspect", "--format", "{{.Config.Image}}", containers.get(0)).output());
            String digest = image.substring(image.indexOf('@') + 1);
            String repoDigests = Processes.run("docker", "inspect", "--format", "{{json .RepoDigests}}",
                    Processes.run("docker", "inspect", "--format", "{{.Image}}", containers.get(0)).output().strip()).output();
            assertTrue(repoDigests.contains(digest), repoDigests);
            assertEquals(image + "\n", app.onServer(".deploy/current-image"));
            assertTrue(app.log().contains("::group::deploy@127.0.0.1:2222 · Health"), app.log());
            assertTrue(app.log().contains("healthy (3/3)"), app.log());

            app.version("v2", true);
            Map<String, String> second = app.run(app.env(), 0);
            assertEquals("v2", app.probe());
            assertEquals(image, second.get("previous-image"));
            assertNotEquals(image, second.get("image"));
            assertEquals(2, app.onServer(".deploy/releases.log").lines().filter(l -> l.contains(" deployed ")).count());
            assertTrue(app.onServer(".deploy/previous/.env").contains("SECRET_KEY"));
            assertEquals("-rw-------", Processes.run("stat", "-c", "%A", app.appDir + "/.env").output().strip());
            assertNull(app.onServer(".deploy/lock/owner"), "the lock is released");
            assertTrue(java.nio.file.Files.readString(app.summary).contains("| deploy@127.0.0.1:2222 | deployed | " + image + " |"),
                    java.nio.file.Files.readString(app.summary));
        }
    }
}
