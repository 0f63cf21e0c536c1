package com.pyerp.deployaction.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        assertEquals(List.of("sh", "-c", Privilege.SUDO_WITH_ASKPASS, "sh", "--", "useradd", "x"), sudo.argv(ROOT_ACTION));
        assertEquals(List.of("sh", "-c", Privilege.SUDO_WITH_ASKPASS, "sh", "-u", "pyerp", "--", "docker", "login"),
                sudo.argv(APP_ACTION));
        assertArrayEquals("s3cret\ntoken".getBytes(StandardCharsets.UTF_8), sudo.stdin(APP_ACTION));
        assertArrayEquals("s3cret\n".getBytes(StandardCharsets.UTF_8), sudo.stdin(ROOT_ACTION));
        assertFalse(String.join(" ", sudo.argv(APP_ACTION)).contains("s3cret"));
    }

    /**
     * Through a stand-in for sudo that asks the askpass helper only when told to, as a NOPASSWD rule makes real sudo
     * skip it: either way the command reads exactly its own input, and no helper file is left. (SetupServerIT does the
     * same with real sudo and such a rule.)
     */
    @Test
    void theCommandNeverReadsThePasswordWhetherOrNotSudoAsksForIt(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path fakeSudo = Files.writeString(bin.resolve("sudo"), """
                #!/bin/sh
                [ "$1 $2" = "-k -A" ] || exit 90
                shift 2
                if [ -n "$ASK" ]; then [ "$("$SUDO_ASKPASS" 'Password:')" = "p4ss w'rd" ] || exit 91; ls -l "$SUDO_ASKPASS" > "$ASK"; fi
                [ "$1" = "-u" ] && shift 2
                [ "$1" = "--" ] && shift
                exec "$@"
                """);
        Files.setPosixFilePermissions(fakeSudo, PosixFilePermissions.fromString("rwx------"));
        Privilege sudo = new Privilege(Privilege.Mode.SUDO_PASSWORD, "admin", "pyerp", "p4ss w'rd");
        Path home = Files.createDirectories(dir.resolve("home"));
        for (String ask : List.of("", dir.resolve("asked").toString())) {
            Action cat = new Action(Action.Who.APP, List.of("cat"), "KEY=value\n".getBytes(StandardCharsets.UTF_8));
            ProcessBuilder builder = new ProcessBuilder(sudo.argv(cat));
            builder.environment().putAll(Map.of("PATH", bin + ":/usr/bin:/bin", "ASK", ask, "HOME", home.toString()));
            Process process = builder.start();
            process.getOutputStream().write(sudo.stdin(cat));
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, process.waitFor(), new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            assertEquals("KEY=value\n", output, ask.isEmpty() ? "sudo asked nothing" : "sudo asked the helper");
            try (var left = Files.list(home)) {
                assertEquals(List.of(), left.toList(), "the helper is removed");
            }
        }
        assertTrue(Files.readString(dir.resolve("asked")).startsWith("-rwx------"), "the helper is private");
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
    void whatEitherCanDoRunsAsRootWhereTheLoginHasIt() {
        assertEquals(Action.Who.ROOT, new Privilege(Privilege.Mode.SUDO, "admin", "pyerp", "").rootElseApp());
        assertEquals(Action.Who.APP, new Privilege(Privilege.Mode.NONE, "pyerp", "pyerp", "").rootElseApp());
    }

    @Test
    void actionsShowNeitherStdinNorFileContent() {
        Action write = Action.writeFile("/srv/erp/.env", "600", "SECRET_KEY=abc".getBytes(StandardCharsets.UTF_8));
        assertEquals("[app] write /srv/erp/.env (mode 600) < (14 bytes)", write.toString());
        assertEquals("[app] docker login < (5 bytes)", APP_ACTION.toString());
    }
}
