package com.pyerp.deployaction.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.testing.Processes;
import com.pyerp.deployaction.testing.RunnerEnv;
import com.pyerp.deployaction.testing.TestSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hardened server whose sshd has no {@code Subsystem sftp}: a deploy and a setup-server both succeed, the files
 * keep their modes, and the log says once that the upload went over the exec channel.
 */
class NoSftpServerIT {

    @TempDir
    Path workspace;

    @Test
    void aDeployAndASetupServerSucceedOnAServerWithoutSftp() throws Exception {
        try (DeployFixture app = new DeployFixture(workspace, 18108);
                TestSshd sshd = TestSshd.startWithoutSftp(18270,
                        List.of(Files.readString(Path.of(app.services.get("SSH_KEY_FILE") + ".pub"))))) {
            String knownHosts = sshd.knownHosts();
            Map<String, String> outputs = app.run(app.env("INPUT_SSH-PORT", Integer.toString(sshd.port()),
                    "INPUT_SSH-KNOWN-HOSTS", knownHosts), 0);
            assertEquals("true", outputs.get("deployed"));
            assertEquals("v1", app.probe());
            assertEquals("-rw-------", mode(app.appDir + "/.env"));
            assertEquals("-rw-r--r--", mode(app.appDir + "/compose.yaml"));
            List<String> notices = app.log().lines().filter(line -> line.startsWith("::notice")).toList();
            assertEquals(1, notices.size(), app.log());
            assertTrue(notices.get(0).startsWith("::notice title=Upload without SFTP::deploy@127.0.0.1:18270 offers no SFTP"),
                    notices.get(0));
            assertTrue(sshd.log().contains("subsystem request for sftp by user deploy failed"), sshd.log());
            assertFalse(app.log().lines().filter(line -> !line.startsWith("::add-mask::")).anyMatch(line -> line.contains(app.secret)),
                    "the env file's secret is never printed");

            String setupDir = app.serverRoot.resolve("setup").toString();
            Map<String, String> setup = RunnerEnv.with(RunnerEnv.pushToMain(workspace),
                    "INPUT_COMMAND", "setup-server", "INPUT_SSH-HOST", sshd.host() + ":" + sshd.port(),
                    "INPUT_SSH-USER", TestSshd.USER, "INPUT_APP-USER", TestSshd.USER,
                    "INPUT_SSH-KEY", Files.readString(Path.of(app.services.get("SSH_KEY_FILE"))),
                    "INPUT_SSH-KNOWN-HOSTS", knownHosts, "INPUT_APP-DIR", setupDir,
                    "INPUT_APP-PUBLIC-KEY", Files.readString(Path.of(app.services.get("SSH_KEY_FILE") + ".pub")).strip(),
                    "INPUT_ENV-FILE", "EMAIL_HOST=smtp.example.com\n");
            app.run(setup, 0);
            assertEquals("-rw-------", mode(setupDir + "/.env"));
            assertEquals("EMAIL_HOST=smtp.example.com\n", Files.readString(Path.of(setupDir, ".env")));
        }
    }

    private static String mode(String path) throws Exception {
        return Processes.run("stat", "-c", "%A", path).output().strip();
    }
}
