package com.pyerp.deployaction.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.Main;
import com.pyerp.deployaction.action.RunnerFileCommands;
import com.pyerp.deployaction.config.BuildFile;
import com.pyerp.deployaction.testing.Processes;
import com.pyerp.deployaction.testing.RunnerEnv;
import com.pyerp.deployaction.testing.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The build stage against the real loopback registries and docker: what a user would check about the image. */
class BuildStageIT {

    @TempDir
    Path workspace;

    private TestServices services;
    private String repository;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void app() throws IOException {
        services = TestServices.require("REGISTRY", "TLS_REGISTRY");
        repository = "it/app-" + UUID.randomUUID().toString().substring(0, 8);
        Path app = Files.createDirectories(workspace.resolve("src"));
        Files.writeString(app.resolve("hello.txt"), "hello from pyerp\n");
        Path script = Files.writeString(app.resolve("run.sh"), "#!/bin/sh\necho \"uid=$(id -u)\"\ncat /app/hello.txt\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Map<String, String> runner(String... inputs) throws IOException {
        return RunnerEnv.with(RunnerEnv.buildToTestRegistry(workspace, services, repository, "[\"/app/run.sh\"]"), inputs);
    }

    private Map<String, String> run(Map<String, String> env, int expectedExit) throws IOException {
        PrintStream print = new PrintStream(log, true, StandardCharsets.UTF_8);
        int exit = Main.run(new String[0], env, print, print, workspace);
        assertEquals(expectedExit, exit, log.toString(StandardCharsets.UTF_8));
        return RunnerFileCommands.parse(Files.readString(Path.of(env.get("GITHUB_OUTPUT"))));
    }

    @Test
    void pushedImageRunsAsNonRootWithReadOnlyRootOwnedAppFilesAndLabels() throws Exception {
        Map<String, String> outputs = run(runner(), 0);
        String image = outputs.get("image");
        assertTrue(image.matches(services.get("REGISTRY") + "/" + repository + "@sha256:[0-9a-f]{64}"), image);
        assertEquals("true", outputs.get("pushed"));

        assertEquals(0, docker("pull", image).exitCode());
        assertEquals(new Processes.Result(0, "uid=10001\nhello from pyerp\n"), docker("run", "--rm", "--network", "host", image));
        Processes.Result files = docker("run", "--rm", "--network", "host", "--entrypoint", "/bin/sh", image, "-c",
                "stat -c '%u:%g %a' /app/hello.txt /app/run.sh /app; touch /app/hello.txt 2>/dev/null && echo WRITABLE || echo read-only");
        assertEquals("0:0 644\n0:0 755\n0:0 755\nread-only\n", files.output());
        Processes.Result labels = docker("inspect", "--format", "{{index .Config.Labels \"org.opencontainers.image.revision\"}}", image);
        assertEquals("0123456789abcdef0123456789abcdef01234567\n", labels.output());
        assertEquals("2026-11-20T10:15:30Z\n", docker("inspect", "--format", "{{.Created}}", image).output(),
                "created at the commit date");
        assertTrue(tags().contains("main") && tags().contains("sha-0123456"), tags());
        docker("rmi", "-f", image);
    }

    @Test
    void aChangedEnvironmentValueOnTheSameRunnerIsBuiltAgain() throws Exception {
        String first = run(runner("INPUT_ENV", "APP_VERSION=1"), 0).get("digest");
        log.reset();
        String second = run(runner("INPUT_ENV", "APP_VERSION=2"), 0).get("digest");
        assertNotEquals(first, second, "not taken for the image this runner pushed before: " + log);
    }

    @Test
    void theSameCommitAndInputsGiveTheSameDigest() throws Exception {
        String first = run(runner(), 0).get("digest");
        assertTrue(log.toString(StandardCharsets.UTF_8).lines().anyMatch(l -> l.matches("pushed +[0-9.]+ [kM]?B +sha256:\\w+ \\(/app\\)")),
                "the app layer is reported as pushed: " + log);
        log.reset();
        String second = run(runner(), 0).get("digest");
        assertEquals(first, second);
        List<String> blobs = log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.matches("(pushed|reused) .*")).toList();
        assertEquals(3, blobs.size(), "base layer, app layer, configuration: " + log);
        assertTrue(blobs.stream().allMatch(l -> l.startsWith("reused")), "nothing uploaded again: " + blobs);
        Files.writeString(workspace.resolve("src/hello.txt"), "changed\n");
        assertNotEquals(first, run(runner(), 0).get("digest"));
    }

    @Test
    void aFreshRunnerReusesTheDependencyLayersAndUploadsOnlyTheChangedAppLayer() throws Exception {
        Path deps = Files.createDirectories(workspace.resolve("deps/site-packages/lib"));
        Files.writeString(deps.resolve("module.py"), "VALUE = 42\n");
        Map<String, String> twoLayers = runner("INPUT_LAYERS", "deps:/app/deps\nsrc:/app");
        String first = run(twoLayers, 0).get("digest");
        assertTrue(text().contains("Dependency layers (/app/deps) changed or new: pushing " + services.get("REGISTRY") + "/"
                + repository + ":" + IncrementalBuild.TAG_PREFIX), text());
        assertTrue(tags().contains(IncrementalBuild.TAG_PREFIX), "the dependency image is tagged: " + tags());

        // A fresh runner: no local caches at all, and new modification times on every file.
        Files.writeString(workspace.resolve("src/hello.txt"), "changed\n");
        Files.writeString(deps.resolve("module.py"), "VALUE = 42\n");
        Path freshHome = Files.createDirectories(workspace.resolve("fresh-home"));
        log.reset();
        Map<String, String> outputs = run(runner("INPUT_LAYERS", "deps:/app/deps\nsrc:/app", "HOME", freshHome.toString()), 0);
        assertNotEquals(first, outputs.get("digest"));
        assertTrue(text().contains("Dependency layers (/app/deps) unchanged: reusing"), text());
        assertFalse(text().contains("Jib builds the image"), "the last layer went up directly, not through Jib: " + text());
        List<String> pushed = text().lines().filter(l -> l.startsWith("pushed ")).toList();
        assertEquals(2, pushed.size(), "only the app layer and the configuration: " + text());
        assertTrue(pushed.stream().anyMatch(l -> l.endsWith("(/app)")), text());

        log.reset();
        assertEquals(outputs.get("digest"), run(runner("INPUT_LAYERS", "deps:/app/deps\nsrc:/app", "HOME", freshHome.toString()), 0)
                .get("digest"));
        assertTrue(text().contains("Nothing changed since this runner pushed"), text());
        assertFalse(text().contains("Dependency layers"), "the dependency image is not even looked up: " + text());
        assertEquals(0, docker("pull", outputs.get("image")).exitCode());
        assertEquals(new Processes.Result(0, "VALUE = 42\nchanged\n"), docker("run", "--rm", "--network", "host",
                "--entrypoint", "/bin/cat", outputs.get("image"), "/app/deps/site-packages/lib/module.py", "/app/hello.txt"));
        docker("rmi", "-f", outputs.get("image"));
    }

    @Test
    void nothingChangedSkipsTheBuildOnlyWhileTheRegistryStillHoldsWhatWasPushed() throws Exception {
        String first = run(runner(), 0).get("digest");
        log.reset();
        assertEquals(first, run(runner(), 0).get("digest"));
        assertTrue(text().contains("Nothing changed since this runner pushed " + first), text());

        Files.writeString(workspace.resolve("src/hello.txt"), "moved the tags\n");
        String other = run(runner(), 0).get("digest");
        Files.writeString(workspace.resolve("src/hello.txt"), "hello from pyerp\n");
        log.reset();
        assertEquals(first, run(runner(), 0).get("digest"), "the same content gives the same digest again");
        assertFalse(text().contains("Nothing changed"), "the tags point to " + other + " now, so it is pushed again: " + text());
        assertEquals(first, manifestDigest("main"));
    }

    @Test
    void aBuildFileAndTheSameSimpleInputsGiveTheSameDigest() throws Exception {
        Files.writeString(workspace.resolve("jib.yaml"), """
                apiVersion: jib/v1alpha1
                kind: BuildFile
                from:
                  image: %s
                entrypoint: ["/app/run.sh"]
                layers:
                  entries:
                    - name: /app
                      files:
                        - src: src
                          dest: /app
                """.formatted(services.get("BASE_IMAGE")));
        Map<String, String> fromFile = runner();
        fromFile.remove("INPUT_BASE-IMAGE");
        fromFile.remove("INPUT_LAYERS");
        fromFile.remove("INPUT_ENTRYPOINT");
        String fileDigest = run(fromFile, 0).get("digest");
        Files.delete(workspace.resolve("jib.yaml"));
        assertEquals(fileDigest, run(runner(), 0).get("digest"));
    }

    @Test
    void pushesToTheTlsRegistryWithExplicitCredentials() throws Exception {
        String tlsImage = services.get("TLS_REGISTRY") + "/" + repository;
        Map<String, String> outputs = run(runner("INPUT_IMAGES", tlsImage,
                "INPUT_REGISTRY-USERNAME", services.get("TLS_REGISTRY_USER"),
                "INPUT_REGISTRY-PASSWORD", services.registryPassword()), 0);
        assertTrue(outputs.get("image").startsWith(tlsImage + "@sha256:"));
        String printed = log.toString(StandardCharsets.UTF_8).lines().filter(line -> !line.startsWith("::add-mask::"))
                .reduce("", (a, b) -> a + b + "\n");
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("::add-mask::" + services.registryPassword()), "masked first");
        assertFalse(printed.contains(services.registryPassword()), "password never printed");
    }

    @Test
    void wrongCredentialsFailBeforeTheBuildWithTheFix() throws Exception {
        long start = System.nanoTime();
        run(runner("INPUT_IMAGES", services.get("TLS_REGISTRY") + "/" + repository,
                "INPUT_REGISTRY-USERNAME", services.get("TLS_REGISTRY_USER"), "INPUT_REGISTRY-PASSWORD", "wrong-password"), 1);
        List<String> errors = log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("::error")).toList();
        assertEquals(1, errors.size(), log.toString(StandardCharsets.UTF_8));
        assertTrue(errors.get(0).startsWith("::error title=Push not allowed::The registry refused a test upload to "
                + services.get("TLS_REGISTRY") + "/" + repository + " (HTTP 401"), errors.get(0));
        assertTrue(errors.get(0).contains("Check registry-username and registry-password"), errors.get(0));
        assertFalse(log.toString(StandardCharsets.UTF_8).contains("== Build") || log.toString(StandardCharsets.UTF_8)
                .contains("::group::Build"), "nothing was built");
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "fails in seconds");
    }

    @Test
    void aForksPullRequestIsBuiltToATarWithANoticeAndNotPushed() throws Exception {
        Path event = workspace.resolve("pr.json");
        Files.writeString(event, "{\"number\":7,\"pull_request\":{\"head\":{\"repo\":{\"full_name\":\"someone/pyerp\"}}}}");
        Map<String, String> outputs = run(runner("GITHUB_EVENT_NAME", "pull_request", "GITHUB_REF", "refs/pull/7/merge",
                "GITHUB_EVENT_PATH", event.toString(), "INPUT_TAGS", ""), 0);
        assertEquals("false", outputs.get("pushed"));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("::notice title=Not pushed::Pull requests from forks get a"
                + " read-only token, so the image was built to " + workspace.resolve("pyerp-image.tar")), log.toString(StandardCharsets.UTF_8));
        assertTrue(Files.size(workspace.resolve("pyerp-image.tar")) > 0);
        assertEquals(404, tagsStatus(), "nothing pushed");
    }

    @Test
    void outputTarIsLoadableAndNothingIsPushed() throws Exception {
        Map<String, String> outputs = run(runner("INPUT_OUTPUT", "tar:image.tar"), 0);
        assertEquals("false", outputs.get("pushed"));
        assertEquals(0, docker("load", "-i", workspace.resolve("image.tar").toString()).exitCode());
        assertEquals(404, tagsStatus());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "INPUT_BASE-IMAGE|Not A Reference|Invalid input%3A base-image",
        "INPUT_LAYERS|missing:/app|Layer source missing",
        "INPUT_LAYERS|src:app|Invalid input%3A layers",
        "INPUT_PLATFORMS|linux/sparc|Invalid input%3A platforms",
        "INPUT_BUILD-FILE|nope.yaml|Invalid input%3A build-file",
        "INPUT_ENTRYPOINT|[\"unclosed\"|Invalid input%3A entrypoint",
        "INPUT_REGISTRY-ATTEMPTS|0|Invalid input%3A registry-attempts",
    })
    void badBuildInputsFailOnceAndPushNothing(String input, String value, String title) throws Exception {
        run(runner(input, value), 1);
        List<String> errors = log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("::error")).toList();
        assertEquals(1, errors.size(), log.toString(StandardCharsets.UTF_8));
        assertTrue(errors.get(0).startsWith("::error title=" + title + "::"), errors.get(0));
        assertEquals(404, tagsStatus(), "nothing pushed");
    }

    private String text() {
        return log.toString(StandardCharsets.UTF_8);
    }

    private String manifestDigest(String tag) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + services.get("REGISTRY")
                + "/v2/" + repository + "/manifests/" + tag)).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Accept", "application/vnd.docker.distribution.manifest.v2+json").build(),
                HttpResponse.BodyHandlers.discarding()).headers().firstValue("Docker-Content-Digest").orElse("");
    }

    private String tags() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + services.get("REGISTRY")
                + "/v2/" + repository + "/tags/list")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private int tagsStatus() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + services.get("REGISTRY")
                + "/v2/" + repository + "/tags/list")).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static Processes.Result docker(String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("docker"));
        command.addAll(List.of(arguments));
        return Processes.run(command, Map.of());
    }
}
