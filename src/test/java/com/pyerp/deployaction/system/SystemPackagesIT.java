package com.pyerp.deployaction.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import java.util.TreeSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.Main;
import com.pyerp.deployaction.action.RunnerFileCommands;
import com.pyerp.deployaction.scan.osv.OsvFixtures;
import com.pyerp.deployaction.testing.Processes;
import com.pyerp.deployaction.testing.RunnerEnv;
import com.pyerp.deployaction.testing.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * system-packages through the action's entry point: a python3-only base from the loopback registry, the run-time
 * set from the loopback Debian mirror (checked against the shipped Debian keyring), and the pushed image run in
 * docker. A second run on a fresh runner finds the system image and fetches neither an index nor a package.
 */
class SystemPackagesIT {

    @TempDir
    Path workspace;

    private TestServices services;
    private String repository;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void app() throws IOException {
        services = TestServices.require("REGISTRY", "DEBIAN_MIRROR");
        repository = "it/system-" + UUID.randomUUID().toString().substring(0, 8);
        Files.writeString(Files.createDirectories(workspace.resolve("src")).resolve("app.py"), "print('app')\n");
    }

    private Map<String, String> runner(String... inputs) throws IOException {
        String mirror = services.debianMirrorUrl().toString().replaceAll("/$", "");
        Map<String, String> env = RunnerEnv.buildToTestRegistry(workspace, services, repository,
                "[\"python3\", \"/app/app.py\"]");
        return RunnerEnv.with(RunnerEnv.with(env,
                "GITHUB_STEP_SUMMARY", workspace.resolve("summary.md").toString(),
                "INPUT_BASE-IMAGE", services.pythonBaseImage(),
                "INPUT_SYSTEM-PACKAGES", String.join(" ", MirrorFixture.RUNTIME),
                "INPUT_SYSTEM-PACKAGES-SOURCES", String.join("\n",
                        "deb " + mirror + "/debian bookworm main",
                        "deb " + mirror + "/debian bookworm-updates main",
                        "deb " + mirror + "/debian-security bookworm-security main")), inputs);
    }

    private Map<String, String> run(Map<String, String> env, int expectedExit) throws IOException {
        log.reset();
        PrintStream print = new PrintStream(log, true, StandardCharsets.UTF_8);
        int exit = Main.run(new String[0], env, print, print, workspace);
        assertEquals(expectedExit, exit, text());
        return RunnerFileCommands.parse(Files.readString(Path.of(env.get("GITHUB_OUTPUT"))));
    }

    @Test
    void thePushedImageRendersPdfsImportsMysqldbAndIsReusedByAFreshRunner() throws Exception {
        Map<String, String> outputs = run(runner(), 0);
        String image = outputs.get("image");
        assertTrue(text().contains("Pushed the system image " + services.get("REGISTRY") + "/" + repository + ":"
                + SystemPackagesStage.TAG_PREFIX), text());
        assertTrue(text().contains("::notice title=Maintainer scripts not run::"), text());
        String summary = Files.readString(workspace.resolve("summary.md"));
        assertTrue(summary.contains("## System packages") && summary.contains("| `libmariadb3` |"), summary);

        assertEquals(0, docker("pull", image).exitCode());
        assertTrue(docker("run", "--rm", "--network", "host", "--entrypoint", "python3", image, "-c", MirrorFixture.PDF_SCRIPT)
                .output().contains("%PDF- True True"), "WeasyPrint renders with an embedded Liberation font");
        assertEquals(new Processes.Result(0, "ok\n"), docker("run", "--rm", "--network", "host", "--entrypoint", "python3",
                image, "-c", "import MySQLdb; print('ok')"));
        Processes.Result status = docker("run", "--rm", "--network", "host", "--entrypoint", "dpkg-query", image, "-W",
                "-f", "${Package} ${db:Status-Abbrev}\\n", "libmariadb3", "fonts-liberation", "python3-mysqldb");
        assertEquals(List.of("fonts-liberation ii ", "libmariadb3 ii ", "python3-mysqldb ii "),
                status.output().lines().sorted().toList());
        assertEquals(new Processes.Result(0, "app\n"), docker("run", "--rm", "--network", "host", image));

        // A fresh runner: no caches; only the app changed.
        Files.writeString(workspace.resolve("src/app.py"), "print('app 2')\n");
        long logged = Files.size(services.debianMirrorAccessLog());
        Map<String, String> again = run(runner("HOME", Files.createDirectories(workspace.resolve("fresh")).toString()), 0);
        assertNotEquals(image, again.get("image"));
        assertTrue(text().contains("reusing " + services.get("REGISTRY") + "/" + repository + ":"
                + SystemPackagesStage.TAG_PREFIX), text());
        List<String> requests = newRequests(logged);
        assertFalse(requests.isEmpty(), "the InRelease files are fetched");
        assertTrue(requests.stream().allMatch(line -> line.contains("/InRelease ")),
                "only the suites' InRelease, no index and no package: " + requests);
        assertEquals(0, docker("pull", again.get("image")).exitCode());
        assertEquals(new Processes.Result(0, "app 2\n"), docker("run", "--rm", "--network", "host", again.get("image")));
        docker("rmi", "-f", image, again.get("image"));
    }

    @Test
    void anUnknownPackageFailsWithTheClosestNamesAndPushesNothing() throws Exception {
        run(runner("INPUT_SYSTEM-PACKAGES", "libpango-1.0-0 libmariadb"), 1);
        List<String> errors = text().lines().filter(line -> line.startsWith("::error")).toList();
        assertEquals(1, errors.size(), text());
        assertTrue(errors.get(0).contains("libmariadb") && errors.get(0).contains("libmariadb3"), errors.get(0));
        assertFalse(text().contains("Exception"), text());
        assertNothingPushed("the repository has no tag: nothing was pushed");
    }

    @Test
    void aBuildThatDoesNotPushGetsThePackagesFromALocalSystemImage() throws Exception {
        Map<String, String> outputs = run(runner("INPUT_SYSTEM-PACKAGES", "libmariadb3", "INPUT_OUTPUT", "tar:image.tar"), 0);
        assertEquals("false", outputs.get("pushed"));
        assertTrue(text().contains("Wrote the system image to "), text());
        try (var leftovers = Files.list(workspace)) {
            assertEquals(List.of(), leftovers.filter(path -> path.getFileName().toString().startsWith("pyerp-system"))
                    .toList(), "the local system image and its scratch files are gone");
        }
        assertNothingPushed("nothing was pushed");
        String loaded = docker("load", "-i", workspace.resolve("image.tar").toString()).output();
        String image = loaded.lines().filter(line -> line.startsWith("Loaded image: ")).findFirst().orElseThrow()
                .substring("Loaded image: ".length());
        assertEquals(new Processes.Result(0, "ok\n"), docker("run", "--rm", "--network", "host", "--entrypoint", "python3",
                image, "-c", "import ctypes; ctypes.CDLL('libmariadb.so.3'); print('ok')"));
        assertEquals(new Processes.Result(0, "app\n"), docker("run", "--rm", "--network", "host", image));
        docker("rmi", "-f", image);
    }

    @Test
    void theScanStageSeesEveryAddedPackageAsDpkgDoesInTheContainer() throws Exception {
        Path export = OsvFixtures.writeExport(Files.createDirectories(workspace.resolve("osv")));
        Map<String, String> outputs = run(runner("INPUT_SYSTEM-PACKAGES", "libmariadb3 fonts-liberation", "INPUT_SCAN",
                "true", "INPUT_SCAN-SEVERITY", "CRITICAL", "INPUT_SCAN-IGNORE", "CVE-2099-0001", "INPUT_SCAN-API-URL",
                "http://127.0.0.1:1", "INPUT_SCAN-DB", export.toString()), 0);
        Set<String> scanned = new TreeSet<>();
        for (JsonNode component : new ObjectMapper().readTree(Path.of(outputs.get("sbom")).toFile()).path("components")) {
            if (component.path("purl").asText().startsWith("pkg:deb/debian/")) {
                scanned.add(component.path("name").asText() + " " + component.path("version").asText());
            }
        }
        String image = outputs.get("image");
        assertEquals(0, docker("pull", image).exitCode());
        Processes.Result dpkg = docker("run", "--rm", "--network", "host", "--entrypoint", "dpkg-query", image, "-W", "-f",
                "${Package} ${Version}\\n");
        assertEquals(0, dpkg.exitCode(), dpkg.output());
        assertEquals(new TreeSet<>(dpkg.output().lines().toList()), scanned);
        assertTrue(scanned.stream().anyMatch(entry -> entry.startsWith("libmariadb3 ")), scanned.toString());
        docker("rmi", "-f", image);
    }

    @Test
    void aScanGateThatFailsBeforeThePushLeavesNoSystemImageInTheRegistry() throws Exception {
        Path export = OsvFixtures.writeExport(Files.createDirectories(workspace.resolve("osv")));
        run(runner("INPUT_SYSTEM-PACKAGES", "libmariadb3", "INPUT_SCAN", "true", "INPUT_SCAN-BEFORE-PUSH", "true",
                "INPUT_SCAN-SEVERITY", "HIGH", "INPUT_SCAN-API-URL", "http://127.0.0.1:1", "INPUT_SCAN-DB",
                export.toString()), 1);
        assertTrue(text().contains("Wrote the system image to "), "the system image stayed local: " + text());
        assertTrue(text().contains("CVE-2099-0001"), text());
        assertNothingPushed("neither the image nor the system image was pushed");
    }

    @Test
    void theLockIsWrittenThenBuildsFetchNoIndexAndAGonePackageSaysHowToRefreshIt() throws Exception {
        String[] locked = {"INPUT_SYSTEM-PACKAGES", "libmariadb3", "INPUT_SYSTEM-PACKAGES-LOCK", "ci/system-packages.lock"};
        run(runner(locked), 0);
        Path lock = workspace.resolve("ci/system-packages.lock");
        String written = Files.readString(lock);
        assertTrue(text().contains("::notice title=System packages lock written::Wrote ci/system-packages.lock."), text());
        assertTrue(written.contains("\"name\" : \"libmariadb3\"") && written.contains("\"sha256\" : \"")
                && written.contains("/mariadb/libmariadb3_"), written);

        long logged = Files.size(services.debianMirrorAccessLog());
        Map<String, String> again = run(runner(withFreshHome(locked)), 0);
        assertTrue(text().contains("The lock matches: reusing"), text());
        assertEquals(List.of(), newRequests(logged), "nothing fetched from the mirror");
        assertEquals(written, Files.readString(lock), "a matching lock is left as it is");
        assertEquals(0, docker("pull", again.get("image")).exitCode());
        assertEquals(new Processes.Result(0, "ok\n"), docker("run", "--rm", "--network", "host", "--entrypoint", "python3",
                again.get("image"), "-c", "import ctypes; ctypes.CDLL('libmariadb.so.3'); print('ok')"));
        docker("rmi", "-f", again.get("image"));

        // Another repository has no image for the set: the packages come from the lock's URLs, and nothing else.
        repository = repository + "-other";
        logged = Files.size(services.debianMirrorAccessLog());
        run(runner(withFreshHome(locked)), 0);
        List<String> requests = newRequests(logged);
        assertFalse(requests.isEmpty());
        assertTrue(requests.stream().allMatch(line -> line.contains(".deb ")), "only the locked .debs: " + requests);

        repository = repository + "-gone";
        Files.writeString(lock, written.replaceFirst("/mariadb/libmariadb3_", "/mariadb/gone-libmariadb3_"));
        run(runner(withFreshHome(locked)), 1);
        List<String> errors = text().lines().filter(line -> line.startsWith("::error")).toList();
        assertEquals(1, errors.size(), text());
        assertTrue(errors.get(0).startsWith("::error title=System packages%3A locked package gone::"), errors.get(0));
        assertTrue(errors.get(0).endsWith("Refresh the lock: delete ci/system-packages.lock, run the build again, and"
                + " commit the lock it writes."), errors.get(0));
    }

    private String[] withFreshHome(String... inputs) throws IOException {
        String[] all = Arrays.copyOf(inputs, inputs.length + 2);
        all[inputs.length] = "HOME";
        all[inputs.length + 1] = Files.createTempDirectory(workspace, "home-").toString();
        return all;
    }

    /** The repository has no tag at all. */
    private void assertNothingPushed(String why) throws IOException, InterruptedException {
        assertEquals("404", Processes.run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "http://"
                + services.get("REGISTRY") + "/v2/" + repository + "/tags/list").output(), why);
    }

    private List<String> newRequests(long offset) throws IOException {
        byte[] all = Files.readAllBytes(services.debianMirrorAccessLog());
        return new String(all, (int) offset, all.length - (int) offset, StandardCharsets.UTF_8).lines().toList();
    }

    private String text() {
        return log.toString(StandardCharsets.UTF_8);
    }

    private static Processes.Result docker(String... arguments) throws IOException, InterruptedException {
        String[] command = new String[arguments.length + 1];
        command[0] = "docker";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        return Processes.run(command);
    }
}
