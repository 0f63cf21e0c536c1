package com.pyerp.deployaction.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.config.HealthCheck;
import com.pyerp.deployaction.ssh.RemoteCommand;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployCommandsTest {

    static final String IMAGE = "ghcr.io/acme/pyerp@sha256:" + "a".repeat(64);

    @TempDir
    Path app;

    @Test
    void composeCommandsRunInTheAppDirWithTheImageInTheEnvironment() {
        Compose v1 = new Compose(Compose.V1, "/srv/pyerp", "pyerp");
        assertEquals("cd /srv/pyerp && exec env APP_IMAGE=" + IMAGE + " timeout -k 10 600 docker-compose -p pyerp -f"
                + " compose.yaml up -d --no-deps web", v1.up(IMAGE, List.of("web")).shellLine());
        Compose v2 = new Compose(Compose.V2, "/srv/pyerp", "pyerp");
        assertEquals(List.of("docker", "compose", "-p", "pyerp", "-f", "compose.yaml", "run", "--rm", "-T", "--entrypoint",
                "python3", "--", "web", "manage.py", "migrate", "--noinput"),
                v2.migrate(IMAGE, "web", List.of("python3", "manage.py", "migrate", "--noinput"), Duration.ofMinutes(3), false).argv());
        assertEquals(Duration.ofMinutes(3), v2.migrate(IMAGE, "web", List.of("true"), Duration.ofMinutes(3), false).timeout());
        assertEquals(List.of("docker-compose", "-p", "pyerp-migrate", "-f", "compose.yaml", "run", "--rm", "-T", "--no-deps",
                "--entrypoint", "true", "web"), v1.migrate(IMAGE, "web", List.of("true"), Duration.ofMinutes(3), true).argv());
        assertEquals(List.of("docker", "compose", "-p", "pyerp", "-f", "compose.yaml", "config", "-q"), v2.validate(IMAGE).argv());
        assertEquals(List.of("docker-compose", "-p", "pyerp", "-f", "compose.yaml", "ps", "-q", "web"),
                v1.containerIds(IMAGE, List.of("web")).argv());
        assertEquals(List.of("docker", "compose", "-p", "pyerp", "-f", "compose.yaml", "up", "-d", "--no-deps", "--", "web"),
                v2.up(IMAGE, List.of("web")).argv());
        assertEquals(List.of("docker", "compose", "-p", "pyerp", "-f", "compose.yaml", "logs", "--no-color", "--tail", "20",
                "--", "web"), v2.logs(IMAGE, "web", 20).argv());
    }

    /** With a stand-in docker that records what each call saw, and fails the pull when told to. */
    @Test
    void thePullLogsInThroughAThrowawayConfigThatIsGoneAfterwardsEvenWhenThePullFails() throws Exception {
        Path bin = Files.createDirectories(app.resolve("bin"));
        Path docker = Files.writeString(bin.resolve("docker"), """
                #!/bin/sh
                case $1 in
                  login) cat > "$DOCKER_CONFIG/config.json"; stat -c '%a' "$DOCKER_CONFIG" > ../seen-mode ;;
                  pull) cat "$DOCKER_CONFIG/config.json" > ../seen-at-pull; [ "$2" = bad ] && exit 1 ;;
                esac
                exit 0
                """);
        Files.setPosixFilePermissions(docker, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Path appDir = Files.createDirectories(app.resolve("app"));
        Files.createDirectories(appDir.resolve(".deploy/pull-auth.leftover"));
        for (String image : List.of(IMAGE, "bad")) {
            RemoteCommand pull = ImageCommands.pullWithThrowawayLogin(appDir.toString(), "ghcr.io", "octocat", "ghp_secret", image);
            assertFalse(pull.shellLine().contains("ghp_secret"));
            ProcessBuilder builder = new ProcessBuilder("sh", "-c", pull.shellLine()).redirectErrorStream(true);
            builder.environment().put("PATH", bin + ":/usr/bin:/bin");
            Process process = builder.start();
            process.getOutputStream().write(pull.stdin());
            process.getOutputStream().close();
            process.getInputStream().readAllBytes();
            assertEquals(image.equals("bad") ? 1 : 0, process.waitFor(), image);
            assertEquals("ghp_secret", Files.readString(app.resolve("seen-at-pull")), "the pull used the login");
            assertEquals("700\n", Files.readString(app.resolve("seen-mode")));
            try (var left = Files.list(appDir.resolve(".deploy"))) {
                assertEquals(List.of(), left.toList(), "no login is left, nor an older leftover");
            }
        }
    }

    @Test
    void theHealthProbeSendsTheHostHeaderAndNeverGoesThroughAnHttpProxy() {
        HealthCheck health = new HealthCheck(URI.create("http://127.0.0.1:8000/health/"), 200, "erp.example.com", "",
                Duration.ofMinutes(2), Duration.ofSeconds(1), 3);
        assertEquals(List.of("curl", "-sS", "--noproxy", "*", "--max-time", "2", "-o", "-", "-w", "\\n%{http_code}", "-H",
                "Host: erp.example.com", "http://127.0.0.1:8000/health/"), HealthCommands.probe(health).argv());
    }

    /** With a stand-in docker whose root directory is {@code app}; app-dir does not exist yet. */
    @Test
    void dockerRootAndFreeDiskReadsBothInOneRoundTrip() throws Exception {
        Path bin = Files.createDirectories(app.resolve("bin"));
        Files.writeString(bin.resolve("docker"), "#!/bin/sh\necho \"$DOCKER_ROOT\"\n");
        bin.resolve("docker").toFile().setExecutable(true);
        ProcessBuilder builder = new ProcessBuilder("sh", "-c",
                DeployCommands.dockerRootAndFreeDisk(app.resolve("srv/pyerp").toString()).shellLine());
        builder.environment().put("PATH", bin + ":/usr/bin:/bin");
        builder.environment().put("DOCKER_ROOT", app.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));

        DeployCommands.FreeDisk disk = DeployCommands.freeDisk(output);
        assertEquals(app.toString(), disk.dockerRoot());
        assertTrue(disk.dockerRootMegabytes() > 0, output);
        assertEquals(disk.dockerRootMegabytes(), disk.appDirMegabytes(), "app-dir's nearest parent is on the same disk");
        assertEquals(new DeployCommands.FreeDisk("/var/lib/docker", -1, -1), DeployCommands.freeDisk("/var/lib/docker\n"));
    }

    @Test
    void freeDiskAndImagePruningArePlannedFromTheOutput() {
        assertEquals(74097, DeployCommands.availableMegabytes(
                "Filesystem     1048576-blocks  Used Available Capacity Mounted on\n/dev/vda 258020 29802 74097 29% /\n"));
        assertEquals(-1, DeployCommands.availableMegabytes("df: /x: No such file"));
        String listing = "sha256:6 sha256:d6\nsha256:5 sha256:d5\nsha256:4 sha256:d4\nsha256:3 sha256:d3\nsha256:2 sha256:d2\n"
                + "sha256:1 sha256:d1\n";
        assertEquals(List.of("sha256:4", "sha256:3", "sha256:1"), ImageCommands.imagesToRemove(listing, 2, List.of("sha256:d6", "sha256:d2")));
        assertEquals(List.of(), ImageCommands.imagesToRemove("", 3, List.of()));
    }

    @Test
    void theLockIsTakenWaitedForTakenOverWhenStaleAndReleasedOnlyByItsOwner() throws Exception {
        Files.createDirectories(app.resolve(".deploy"));
        String dir = app.toString();
        Result first = sh(LockCommands.acquireLock(dir, "token-1", "alice run 1", 600));
        assertEquals(new Result(0, "acquired"), first);
        List<String> owner = Files.readAllLines(app.resolve(".deploy/lock/owner"));
        assertEquals("token-1", owner.get(0));
        assertEquals("alice run 1", owner.get(2));
        assertEquals("600", owner.get(3));

        Result second = sh(LockCommands.acquireLock(dir, "token-2", "bob run 2", 600));
        assertEquals(3, second.status());
        assertTrue(second.output().matches("held \\d+ alice run 1"), second.output());

        assertEquals(new Result(0, ""), sh(LockCommands.releaseLock(dir, "token-2")));
        assertTrue(Files.isDirectory(app.resolve(".deploy/lock")), "only the owner releases");
        assertEquals(0, sh(LockCommands.refreshLock(dir, "token-1")).status());
        assertEquals(List.of("token-1", "alice run 1", "600"), List.of(Files.readAllLines(app.resolve(".deploy/lock/owner")).get(0),
                Files.readAllLines(app.resolve(".deploy/lock/owner")).get(2), Files.readAllLines(app.resolve(".deploy/lock/owner")).get(3)));
        assertEquals(3, sh(LockCommands.refreshLock(dir, "token-2")).status());
        assertEquals(3, sh(LockCommands.acquireLock(dir, "token-2", "bob run 2", 1)).status(),
                "the holder's time-to-live counts, not the waiter's");

        long old = Instant.now().getEpochSecond() - 700;
        Files.writeString(app.resolve(".deploy/lock/owner"), "token-1\n" + old + "\nalice run 1\n");
        Result takeover = sh(LockCommands.acquireLock(dir, "token-2", "bob run 2", 600));
        assertEquals(0, takeover.status());
        assertTrue(takeover.output().matches("took-over 7\\d\\d alice run 1"), takeover.output());
        assertEquals(3, sh(LockCommands.refreshLock(dir, "token-1")).status(), "the dead deploy lost its lock");

        assertEquals(0, sh(LockCommands.releaseLock(dir, "token-2")).status());
        assertFalse(Files.exists(app.resolve(".deploy/lock")));

        Files.createDirectories(app.resolve(".deploy/lock"));
        Files.setLastModifiedTime(app.resolve(".deploy/lock"), FileTime.from(Instant.now().minusSeconds(900)));
        assertTrue(sh(LockCommands.acquireLock(dir, "token-3", "carol", 600)).output().startsWith("took-over"),
                "a lock without owner file ages by its directory's time");
    }

    @Test
    void previousFilesAreKeptAndRestored() throws Exception {
        Files.createDirectories(app.resolve(".deploy/previous"));
        Files.writeString(app.resolve("compose.yaml"), "old compose");
        Files.writeString(app.resolve(".env"), "OLD=1");
        assertEquals(0, sh(ReleaseCommands.keepPreviousFiles(app.toString())).status());
        Files.writeString(app.resolve("compose.yaml"), "new compose");
        Files.writeString(app.resolve(".env"), "NEW=1");
        assertEquals(0, sh(ReleaseCommands.restorePreviousFiles(app.toString())).status());
        assertEquals("old compose", Files.readString(app.resolve("compose.yaml")));
        assertEquals("OLD=1", Files.readString(app.resolve(".env")));

        Files.delete(app.resolve(".env"));
        assertEquals(0, sh(ReleaseCommands.keepPreviousFiles(app.toString())).status());
        assertFalse(Files.exists(app.resolve(".deploy/previous/.env")), "a file that did not exist is not restored");
    }

    @Test
    void aFailedCopyOfTheComposeFileFailsTheBackupEvenWhenTheEnvFileCopies() throws Exception {
        Files.createDirectories(app.resolve(".deploy/previous"));
        Files.writeString(app.resolve("compose.yaml"), "current compose");
        Files.writeString(app.resolve(".env"), "CURRENT=1");
        Files.writeString(app.resolve(".deploy/previous/compose.yaml"), "stale compose");
        // A directory where the copy's temporary name goes: the rename over compose.yaml fails, as a full disk would.
        Files.createDirectories(app.resolve(".deploy/previous/.compose.yaml.copy"));
        Result backup = sh(ReleaseCommands.keepPreviousFiles(app.toString()));
        assertEquals(1, backup.status(), backup.output());
        assertEquals("stale compose", Files.readString(app.resolve(".deploy/previous/compose.yaml")));
    }

    @Test
    void aCommandUnderTheLockRunsOnlyWhileThisDeployOwnsIt() throws Exception {
        Files.createDirectories(app.resolve(".deploy"));
        String dir = app.toString();
        assertEquals(new Result(0, "acquired"), sh(LockCommands.acquireLock(dir, "token-1", "alice run 1", 600)));
        RemoteCommand touch = RemoteCommand.of("sh", "-c", "echo ran > \"$1\"; echo done", "sh", "marker").in(dir);
        assertEquals(new Result(0, "done"), sh(LockCommands.underLock(dir, "token-1", touch)));
        Files.delete(app.resolve("marker"));
        Result lost = sh(LockCommands.underLock(dir, "token-2", touch));
        assertEquals(new Result(LockCommands.LOCK_LOST, LockCommands.LOCK_LOST_MESSAGE), lost);
        assertFalse(Files.exists(app.resolve("marker")), "the command did not run");
        assertEquals(new Result(0, ""), sh(LockCommands.releaseLock(dir, "token-1")));
        assertEquals(LockCommands.LOCK_LOST, sh(LockCommands.underLock(dir, "token-1", touch)).status(), "no lock at all");
    }

    record Result(int status, String output) {}

    /** Runs the command's shell line in a local shell, without its timeout wrapper's effect on the result. */
    private Result sh(RemoteCommand command) throws Exception {
        Process process = new ProcessBuilder("sh", "-c", command.shellLine()).directory(app.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().write(command.stdin());
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return new Result(process.waitFor(), output);
    }

    @Test
    void oneCommandNamesEveryMissingProgram() throws Exception {
        assertEquals(new Result(0, "no-such-program-1\nno-such-program-2"),
                sh(DeployCommands.missingPrograms(List.of("no-such-program-1", "sh", "no-such-program-2", "flock"))));
        assertEquals(new Result(0, ""), sh(DeployCommands.missingPrograms(List.of("sh"))));
    }

    @Test
    void containersAreFoundByComposeLabelsUnlessProjectsShareTheDirectory() {
        assertEquals(List.of("a1", "a2"), Compose.containersOf("a1 pyerp web\nb1 pyerp db\na2 pyerp web\n", List.of("web")));
        assertEquals(List.of(), Compose.containersOf("", List.of("web")));
        assertEquals(null, Compose.containersOf("a1 one web\nb1 two web\n", List.of("web")));
    }
}
