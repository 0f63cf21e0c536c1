package com.pyerp.deployaction.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrivilegeTest {

    private static final Action ROOT_ACTION = Action.root("useradd", "x");
    private static final Action APP_ACTION = new Action(Action.Who.APP, List.of("docker", "login"),
            "token".getBytes(StandardCharsets.UTF_8));

    @Test
    void rootRunsDirectlyAndBecomesTheAppUserWithRunuser() {
        Privilege root = new Privilege(Privilege.Mode.ROOT, "root", "pyerp", "");
        assertEquals(List.of("useradd", "x"), root.argv(ROOT_ACTION));
        assertEquals(List.of("runuser", "-u", "pyerp", "--", "docker", "login"), root.argv(APP_ACTION));
        assertArrayEquals("token".getBytes(StandardCharsets.UTF_8), root.stdin(APP_ACTION));
    }

    @Test
    void sudoWithoutPassword() {
        Privilege sudo = new Privilege(Privilege.Mode.SUDO, "admin", "pyerp", "");
        assertEquals(List.of("sudo", "-n", "--", "useradd", "x"), sudo.argv(ROOT_ACTION));
        assertEquals(List.of("sudo", "-n", "-u", "pyerp", "--", "docker", "login"), sudo.argv(APP_ACTION));
    }

    @Test
    void theSudoPasswordGoesFirstOnStdinNeverIntoArgv() {
        Privilege sudo = new Privilege(Privilege.Mode.SUDO_PASSWORD, "admin", "pyerp", "s3cret");
        assertEquals(List.of("sudo", "-k", "-S", "-p", "", "--", "useradd", "x"), sudo.argv(ROOT_ACTION));
        assertEquals(List.of("sudo", "-k", "-S", "-p", "", "-u", "pyerp", "--", "docker", "login"), sudo.argv(APP_ACTION));
        assertArrayEquals("s3cret\ntoken".getBytes(StandardCharsets.UTF_8), sudo.stdin(APP_ACTION));
        assertArrayEquals("s3cret\n".getBytes(StandardCharsets.UTF_8), sudo.stdin(ROOT_ACTION));
        assertFalse(String.join(" ", sudo.argv(APP_ACTION)).contains("s3cret"));
    }

    @Test
    void theAppUserItselfRunsItsOwnActionsWithoutSudo() {
        Privilege self = new Privilege(Privilege.Mode.SUDO_PASSWORD, "pyerp", "pyerp", "s3cret");
        assertEquals(List.of("docker", "login"), self.argv(APP_ACTION));
        assertArrayEquals("token".getBytes(StandardCharsets.UTF_8), self.stdin(APP_ACTION));
        Privilege none = new Privilege(Privilege.Mode.NONE, "deploy", "deploy", "");
        assertTrue(none.canRun(Action.Who.APP));
        assertFalse(none.canRun(Action.Who.ROOT));
        assertThrows(IllegalStateException.class, () -> none.argv(ROOT_ACTION));
        assertFalse(new Privilege(Privilege.Mode.NONE, "deploy", "pyerp", "").canRun(Action.Who.APP));
    }

    @Test
    void actionsShowNeitherStdinNorFileContent() {
        Action write = Action.writeFile("/srv/erp/.env", "600", "SECRET_KEY=abc".getBytes(StandardCharsets.UTF_8));
        assertEquals("[app] write /srv/erp/.env (mode 600) < (14 bytes)", write.toString());
        assertEquals("[app] docker login < (5 bytes)", APP_ACTION.toString());
    }
}
