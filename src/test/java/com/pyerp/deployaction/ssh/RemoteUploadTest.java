package com.pyerp.deployaction.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemoteUploadTest {

    private final RemoteUpload upload = RemoteUpload.to("/srv/erp/.env", 0600, "a1b2");

    @Test
    void theTemporaryFileLivesBesideTheTargetSoThatTheRenameIsAtomic() {
        assertEquals("/srv/erp/..env.tmp-a1b2", upload.temporary());
        assertEquals("/srv/erp", upload.directory());
        assertEquals("/", RemoteUpload.to("/x", 0644, "1").directory());
        assertEquals(List.of("mv", "-f", "--", "/srv/erp/..env.tmp-a1b2", "/srv/erp/.env"), upload.rename().argv());
        assertEquals(List.of("rm", "-f", "--", "/srv/erp/..env.tmp-a1b2"), upload.removeTemporary().argv());
    }

    @Test
    void overExecTheContentGoesOnStdinAndNeverIntoArgv() {
        byte[] content = "SECRET_KEY=s3cr3t\n".getBytes(StandardCharsets.UTF_8);
        RemoteCommand command = upload.overExec(content);
        assertEquals(List.of("sh", "-c"), command.argv().subList(0, 2));
        assertEquals(List.of("sh", "/srv/erp", "/srv/erp/..env.tmp-a1b2", "600", "/srv/erp/.env"),
                command.argv().subList(3, 8));
        assertArrayEquals(content, command.stdin());
        assertFalse(command.shellLine().contains("s3cr3t"));
        assertFalse(command.display().contains("s3cr3t"));
        assertEquals("644", RemoteUpload.to("/srv/erp/compose.yaml", 0644, "1").overExec(content).argv().get(6));
    }

    @Test
    void eachFailureNamesItsCause() {
        assertEquals(RemoteUpload.Cause.MISSING_DIRECTORY, RemoteUpload.causeOfExit(3));
        assertEquals(RemoteUpload.Cause.PERMISSION_DENIED, RemoteUpload.causeOfExit(4));
        assertEquals(RemoteUpload.Cause.OTHER, RemoteUpload.causeOfExit(1));
        assertEquals("Could not write /srv/erp/.env on deploy@h:22: the directory /srv/erp does not exist. Create it"
                + " first, or check the path.", upload.failure(RemoteUpload.Cause.MISSING_DIRECTORY, "deploy@h:22", "deploy",
                "over SFTP", "ignored"));
        assertEquals("Could not write /srv/erp/.env on deploy@h:22: 'deploy' may not write to /srv/erp (permission"
                + " denied). Make 'deploy' its owner, or connect as the user that owns it.",
                upload.failure(RemoteUpload.Cause.PERMISSION_DENIED, "deploy@h:22", "deploy", "over SFTP", ""));
        assertEquals("Could not write /srv/erp/.env on deploy@h:22: the upload over the exec channel failed: cat: write"
                + " error: No space left on device.", upload.failure(RemoteUpload.Cause.OTHER, "deploy@h:22", "deploy",
                "over the exec channel", "cat: write error: No space left on device"));
    }
}
