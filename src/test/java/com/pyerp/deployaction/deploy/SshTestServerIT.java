package com.pyerp.deployaction.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.testing.TestServices;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.SecurityUtils;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import org.junit.jupiter.api.Test;

/** The test sshd and its deploy user, reached the way deploys will reach servers: strict host key, key auth. */
class SshTestServerIT {

    @Test
    void deployUserReachesDockerOverStrictlyVerifiedSsh() throws Exception {
        TestServices services = TestServices.require("SSH");
        // As the action's SshRuntime does, whichever test of this JVM reaches sshj first: Bouncy Castle is on the
        // classpath for OpenPGP, and sshj would otherwise register it for SSH.
        SecurityUtils.setRegisterBouncyCastle(false);
        try (SSHClient ssh = new SSHClient()) {
            ssh.addHostKeyVerifier(new OpenSSHKnownHosts(new File(services.get("SSH_KNOWN_HOSTS_FILE"))));
            ssh.connect(services.get("SSH_HOST"), Integer.parseInt(services.get("SSH_PORT")));
            ssh.authPublickey(services.get("SSH_USER"), ssh.loadKeys(services.get("SSH_KEY_FILE")));

            assertEquals("deploy docker", run(ssh, "printf '%s %s' \"$(id -un)\" \"$(id -nG | tr ' ' '\\n' | grep -x docker)\""));
            assertFalse(run(ssh, "docker version --format '{{.Server.Version}}'").isBlank());
        }
        // SSH runs on the JDK's own providers.
        assertFalse(SecurityUtils.isBouncyCastleRegistered());
    }

    private static String run(SSHClient ssh, String command) throws Exception {
        try (Session session = ssh.startSession()) {
            Session.Command exec = session.exec(command);
            String output = new String(exec.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String errors = new String(exec.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            exec.join(30, TimeUnit.SECONDS);
            assertEquals(Integer.valueOf(0), exec.getExitStatus(), command + ": " + errors);
            assertTrue(errors.isEmpty() || !errors.contains("denied"), errors);
            return output.trim();
        }
    }
}
