package com.pyerp.deployaction.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.pyerp.deployaction.Main;
import com.pyerp.deployaction.action.RunnerFileCommands;
import com.pyerp.deployaction.imagefs.RegistryImageSource;
import com.pyerp.deployaction.scan.osv.OsvFixtures;
import com.pyerp.deployaction.scan.report.ScanReportsTest;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scan of the pyERP-like image this project builds (Debian bookworm runtime from scripts/pyerp-base, Debian's
 * Python packages from scripts/pyerp-deps as /app/deps), against the real loopback registry and docker: what it finds
 * is what dpkg-query and importlib.metadata say inside the container, and the gate stops the push.
 */
class ScanIT {

    private static String baseImage;
    private static Path deps;

    /** Where the Python packages are unpacked once for all tests; removed after them. */
    @TempDir
    static Path scratch;

    @TempDir
    Path workspace;

    private TestServices services;
    private String repository;
    private WireMockServer osv;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    /** Both scripts are cached: seconds when nothing changed, a few minutes (debootstrap) on a new machine. */
    @BeforeAll
    static void image() throws Exception {
        TestServices.require("REGISTRY");
        Path root = Path.of("").toAbsolutePath();
        String base = script(root.resolve("scripts/pyerp-base").toString());
        List<String> lines = base.lines().filter(line -> line.matches("\\S+@sha256:[0-9a-f]{64}")).toList();
        baseImage = lines.get(lines.size() - 1);
        deps = scratch.resolve("deps");
        script(root.resolve("scripts/pyerp-deps").toString(), deps.toString());
    }

    /** stdout of a project script; its progress (stderr) goes to the test's log. Longer than Processes allows. */
    private static String script(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, java.util.concurrent.TimeUnit.MINUTES), command[0] + " timed out");
        assertEquals(0, process.exitValue(), command[0] + " failed; its log is above");
        return output;
    }

    @BeforeEach
    void setUp() throws IOException, InterruptedException {
        services = TestServices.require("REGISTRY");
        repository = "it/scan-" + UUID.randomUUID().toString().substring(0, 8);
        osv = OsvFixtures.api();
        // Hard links, not a symbolic link: the action refuses a layer source that leads outside the workspace.
        assertEquals(0, Processes.run("cp", "-al", deps.toString(), workspace.resolve("deps").toString()).exitCode());
        Files.writeString(workspace.resolve("jib.yaml"), "apiVersion: jib/v1alpha1\nkind: BuildFile\nfrom:\n  image: " + baseImage
                + "\nlayers:\n  entries:\n    - name: dependencies\n      files:\n        - src: deps\n          dest: /app/deps\n");
    }

    @AfterEach
    void tearDown() {
        osv.stop();
    }

    private Map<String, String> runner(String... inputs) throws IOException {
        Map<String, String> env = RunnerEnv.pushToMain(workspace);
        env.put("GITHUB_STEP_SUMMARY", Files.createTempFile(workspace, "summary", "").toString());
        env.put("RUNNER_TEMP", Files.createDirectories(workspace.resolve("tmp")).toString());
        env.put("HOME", workspace.toString());
        env.put("INPUT_IMAGES", services.get("REGISTRY") + "/" + repository);
        env.put("INPUT_TAGS", "type=sha");
        env.put("INPUT_BUILD-FILE", "jib.yaml");
        env.put("INPUT_INSECURE-REGISTRIES", services.get("REGISTRY"));
        env.put("INPUT_DEPLOY", "false");
        env.put("INPUT_SCAN", "true");
        env.put("INPUT_SCAN-API-URL", osv.baseUrl());
        return RunnerEnv.with(env, inputs);
    }

    private Map<String, String> run(Map<String, String> env, int expectedExit) throws IOException {
        log.reset();
        PrintStream print = new PrintStream(log, true, StandardCharsets.UTF_8);
        int exit = Main.run(new String[0], env, print, print, workspace);
        assertEquals(expectedExit, exit, log.toString(StandardCharsets.UTF_8));
        return RunnerFileCommands.parse(Files.readString(Path.of(env.get("GITHUB_OUTPUT"))));
    }

    private String logText() {
        return log.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theInventoryIsWhatDpkgAndImportlibSeeInTheContainer() throws Exception {
        Map<String, String> outputs = run(runner("INPUT_SCAN-SEVERITY", "CRITICAL", "INPUT_SCAN-IGNORE", "CVE-2099-0001"), 0);
        String image = outputs.get("image");
        JsonNode bom = new ObjectMapper().readTree(Path.of(outputs.get("sbom")).toFile());
        assertEquals(Set.of(), ScanReportsTest.validateCycloneDx(bom));

        Set<String> debian = new TreeSet<>();
        Set<String> python = new TreeSet<>();
        for (JsonNode component : bom.path("components")) {
            String purl = component.path("purl").asText();
            String entry = component.path("name").asText() + " " + component.path("version").asText();
            if (purl.startsWith("pkg:deb/debian/")) {
                debian.add(entry);
            } else if (purl.startsWith("pkg:pypi/")) {
                python.add(entry);
            }
        }
        assertEquals(0, docker("pull", "-q", image).exitCode());
        Processes.Result dpkg = docker("run", "--rm", "--network", "none", "--entrypoint", "dpkg-query", image, "-W", "-f",
                "${Package} ${Version}\\n");
        assertEquals(0, dpkg.exitCode(), dpkg.output());
        assertEquals(new TreeSet<>(dpkg.output().lines().toList()), debian);
        assertTrue(debian.size() > 100, debian.toString());
        Processes.Result importlib = docker("run", "--rm", "--network", "none", "-e", "PYTHONPATH=/app/deps", "--entrypoint",
                "python3", image, "-c", "import importlib.metadata as m\nfor d in m.distributions(): print(d.metadata['Name'], d.version)");
        assertEquals(0, importlib.exitCode(), importlib.output());
        assertEquals(new TreeSet<>(importlib.output().lines().toList()), python);
        assertTrue(python.contains("Django 3.2.25"), python.toString());
        assertTrue(logText().contains("reading 2 layer(s)"), logText());
        docker("image", "rm", image);
    }

    @Test
    void aFailingGateBeforePushPushesNothingAndTheReportsShowExactlyTheGatedFindings() throws Exception {
        Map<String, String> env = runner("INPUT_SCAN-BEFORE-PUSH", "true");
        Map<String, String> outputs = run(env, 1);

        String text = logText();
        assertEquals(1, text.lines().filter(line -> line.startsWith("::error")).count(), text);
        assertTrue(text.contains("::error title=Vulnerabilities found::3 vulnerabilities at or above HIGH in "
                + services.get("REGISTRY") + "/" + repository + " (CVE-2099-0004, CVE-2099-0001), so nothing was pushed or"
                + " deployed."), text);
        assertTrue(text.contains("Total: 3 (UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 1, CRITICAL: 2), at or above HIGH; left out:"
                + " 2 below the threshold, 0 ignored by scan-ignore"), text);
        assertEquals(404, tagsStatus(), "nothing was pushed");
        JsonNode sarif = new ObjectMapper().readTree(Path.of(outputs.get("sarif")).toFile());
        assertEquals(Set.of(), ScanReportsTest.validateSarif(sarif));
        assertEquals(List.of("CVE-2099-0004 Django", "CVE-2099-0001 libssl3", "CVE-2099-0001 openssl"), results(sarif));
        String summary = Files.readString(Path.of(env.get("GITHUB_STEP_SUMMARY")));
        assertTrue(summary.contains("| Django | CVE-2099-0004 | HIGH | fixed | 3.2.25 | 3.2.99 | Django SQL injection in"
                + " QuerySet.values() |"), summary);
        assertTrue(summary.contains("| libssl3 | CVE-2099-0001 | CRITICAL | fixed | 3.0.22-1~deb12u2 | 3.0.99-1~deb12u1 |"),
                summary);
    }

    @Test
    void belowTheThresholdThePushGoesAheadAndAnOfflineExportStandsInForAnApiThatIsDown() throws Exception {
        Files.writeString(workspace.resolve(".trivyignore"), "# accepted until openssl 3.0.99 reaches bookworm\n"
                + "CVE-2099-0001 exp:2999-01-01\n");
        Path export = OsvFixtures.writeExport(workspace.resolve("osv"));
        Map<String, String> online = run(runner("INPUT_SCAN-BEFORE-PUSH", "true", "INPUT_SCAN-SEVERITY", "CRITICAL",
                "INPUT_SCAN-IGNORE", ".trivyignore"), 0);
        assertEquals("true", online.get("pushed"));
        assertEquals(200, tagsStatus());
        List<String> onlineFindings = results(new ObjectMapper().readTree(Path.of(online.get("sarif")).toFile()));

        Map<String, String> offline = run(runner("INPUT_SCAN-SEVERITY", "LOW", "INPUT_SCAN-IGNORE", ".trivyignore",
                "INPUT_SCAN-API-URL", "http://127.0.0.1:1", "INPUT_SCAN-DB", export.toString()), 1);
        assertTrue(logText().contains("::warning title=OSV API unavailable::http://127.0.0.1:1 did not answer"), logText());
        JsonNode offlineSarif = new ObjectMapper().readTree(Path.of(offline.get("sarif")).toFile());
        assertEquals(List.of(), onlineFindings);
        assertEquals(List.of("CVE-2099-0004 Django", "CVE-2099-0007 sqlparse", "CVE-2099-0003 tzdata"), results(offlineSarif));

        Map<String, String> onlineLow = run(runner("INPUT_SCAN-SEVERITY", "LOW", "INPUT_SCAN-IGNORE", ".trivyignore"), 1);
        JsonNode onlineSarif = new ObjectMapper().readTree(Path.of(onlineLow.get("sarif")).toFile());
        // The builds differ only in their creation-time label, hence in the digest; the findings are the same.
        assertEquals(results(offlineSarif), results(onlineSarif));
        assertEquals(fingerprints(offlineSarif), fingerprints(onlineSarif));
        assertEquals(offlineSarif.path("runs").get(0).path("tool"), onlineSarif.path("runs").get(0).path("tool"));
    }

    @Test
    void aPushedImageIsReadBackFromAnAuthenticatedTlsRegistryWithTheBuildsLogin() throws Exception {
        TestServices tls = TestServices.require("TLS_REGISTRY");
        String image = tls.get("TLS_REGISTRY") + "/" + repository;
        Map<String, String> outputs = run(runner("INPUT_IMAGES", image, "INPUT_REGISTRY-USERNAME", tls.get("TLS_REGISTRY_USER"),
                "INPUT_REGISTRY-PASSWORD", tls.registryPassword(), "INPUT_SCAN-SEVERITY", "CRITICAL", "INPUT_SCAN-IGNORE",
                "CVE-2099-0001"), 0);

        assertTrue(logText().contains("from " + image + "@" + outputs.get("digest")), logText());
        JsonNode bom = new ObjectMapper().readTree(Path.of(outputs.get("sbom")).toFile());
        List<String> purls = new ArrayList<>();
        bom.path("components").forEach(component -> purls.add(component.path("purl").asText()));
        assertTrue(purls.stream().anyMatch(purl -> purl.startsWith("pkg:deb/debian/libssl3@")), purls.toString());
        assertTrue(purls.contains("pkg:pypi/django@3.2.25"), purls.toString());
        String password = tls.registryPassword();
        assertFalse(logText().lines().filter(line -> !line.startsWith("::add-mask::"))
                .anyMatch(line -> line.contains(password)), "password never printed");
    }

    /**
     * A manifest list is scanned for the runner's platform. The two-platform base lists the pyERP base's manifest
     * as amd64 and as arm64 (only manifests are read; nothing runs).
     */
    @Test
    void aMultiPlatformImageIsScannedForTheRunnersPlatform() throws Exception {
        String registry = "http://" + services.get("REGISTRY") + "/v2/";
        String baseRepository = baseImage.substring(services.get("REGISTRY").length() + 1, baseImage.indexOf(':',
                services.get("REGISTRY").length() + 1));
        HttpResponse<byte[]> manifest = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(registry
                + baseRepository + "/manifests/" + baseImage.substring(baseImage.indexOf('@') + 1)))
                .header("Accept", "application/vnd.docker.distribution.manifest.v2+json").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        String entry = "{\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"size\":"
                + manifest.body().length + ",\"digest\":\"" + baseImage.substring(baseImage.indexOf('@') + 1)
                + "\",\"platform\":{\"architecture\":\"%s\",\"os\":\"linux\"}}";
        String list = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.list.v2+json\","
                + "\"manifests\":[" + String.format(entry, "arm64") + "," + String.format(entry, "amd64") + "]}";
        HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(registry + baseRepository
                + "/manifests/multi-" + repository.substring(repository.lastIndexOf('-') + 1)))
                .header("Content-Type", "application/vnd.docker.distribution.manifest.list.v2+json")
                .PUT(HttpRequest.BodyPublishers.ofString(list)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, put.statusCode(), put.body());
        String multiBase = services.get("REGISTRY") + "/" + baseRepository + ":multi-" + repository.substring(repository.lastIndexOf('-') + 1);

        Map<String, String> outputs = run(runner("INPUT_BUILD-FILE", "", "INPUT_BASE-IMAGE", multiBase, "INPUT_LAYERS",
                "deps:/app/deps", "INPUT_PLATFORMS", "linux/amd64,linux/arm64", "INPUT_SCAN-SEVERITY", "CRITICAL",
                "INPUT_SCAN-IGNORE", "CVE-2099-0001"), 0);

        assertTrue(logText().contains("Debian GNU/Linux 12 (bookworm) (linux/" + RegistryImageSource.runnerArchitecture()
                + "): "), logText());
        assertTrue(Files.readString(Path.of(outputs.get("sbom"))).contains("pkg:pypi/django@3.2.25"));
    }

    @Test
    void anImageThatIsNeitherPushedNorKeptIsScannedFromATarThatIsGoneAfterwards() throws Exception {
        Map<String, String> env = runner("INPUT_PUSH", "false", "INPUT_SCAN-SEVERITY", "CRITICAL", "INPUT_SCAN-IGNORE", "CVE-2099-0001");
        Map<String, String> outputs = run(env, 0);

        assertEquals("false", outputs.get("pushed"));
        assertTrue(logText().contains("reading 2 layer(s)"), logText());
        assertTrue(Files.readString(Path.of(outputs.get("sbom"))).contains("pkg:pypi/django@3.2.25"));
        String summary = Files.readString(Path.of(env.get("GITHUB_STEP_SUMMARY")));
        assertTrue(summary.contains("| pushed | no |"), "no tar the user could look for: " + summary);
        try (Stream<Path> left = Files.list(Path.of(env.get("RUNNER_TEMP")))) {
            assertEquals(List.of(), left.filter(file -> file.toString().endsWith(".tar")).toList());
        }
    }

    @Test
    void anApiThatIsDownWithoutAnOfflineExportFailsClearly() throws Exception {
        run(runner("INPUT_SCAN-API-URL", "http://127.0.0.1:1", "INPUT_OUTPUT", "tar:image.tar"), 1);

        String text = logText();
        assertEquals(1, text.lines().filter(line -> line.startsWith("::error")).count(), text);
        assertTrue(text.contains("::error title=OSV API unavailable::The vulnerability database could not be asked:"
                + " http://127.0.0.1:1 did not answer"), text);
        assertFalse(text.contains("\tat "), "no stack trace");
    }

    private static List<String> results(JsonNode sarif) {
        List<String> results = new ArrayList<>();
        for (JsonNode result : sarif.path("runs").get(0).path("results")) {
            String message = result.path("message").path("text").asText();
            results.add(result.path("ruleId").asText() + " " + message.substring(0, message.indexOf(' ')));
        }
        return results;
    }

    private static List<String> fingerprints(JsonNode sarif) {
        List<String> fingerprints = new ArrayList<>();
        sarif.path("runs").get(0).path("results").forEach(result -> fingerprints.add(result.path("partialFingerprints").toString()));
        return fingerprints;
    }

    private int tagsStatus() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + services.get("REGISTRY")
                + "/v2/" + repository + "/tags/list")).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static Processes.Result docker(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(arguments));
        return Processes.run(command, Map.of());
    }
}
