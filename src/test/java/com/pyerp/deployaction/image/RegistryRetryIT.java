package com.pyerp.deployaction.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.Main;
import com.pyerp.deployaction.action.RunnerFileCommands;
import com.pyerp.deployaction.config.Input;
import com.pyerp.deployaction.testing.FaultInjectingProxy.Exchange;
import com.pyerp.deployaction.testing.FaultInjectingProxy.Fault;
import com.pyerp.deployaction.testing.FaultInjectingProxy;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Pushes through {@link FaultInjectingProxy} in front of the loopback registry: what a flaky or refusing registry does. */
class RegistryRetryIT {

    /**
     * About 20 % of registry requests fail: 7 % HTTP 500, 6 % HTTP 429 (Retry-After: 1), 7 % connection resets,
     * drawn per request by this seed (see {@link FaultInjectingProxy}). With it the first {@code GET /v2/} gets a 500,
     * the app layer's first blob check a reset and the base layer's first blob check a 429: 21 requests, 4 faults,
     * 2 whole-build retries.
     */
    private static final long SEED = 23;

    /**
     * Jib retries resets itself, per request, but gives up the whole build on any 500 or 429 (it has no retry for
     * error statuses): with ~10 requests per attempt, 20 % faults exhaust the default 5 registry-attempts in
     * about 1 run of 7, and which requests a failed attempt still makes depends on its threads. Capping the 500/429
     * answers below the attempts makes success independent of that timing: each failed attempt uses up one.
     */
    private static final int STATUS_FAULTS = Integer.parseInt(Input.REGISTRY_ATTEMPTS.defaultValue()) - 2;

    private static final String GHCR_DENIED =
            "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"installation not allowed to Write organization package\"}]}";

    @TempDir
    Path workspace;

    private TestServices services;
    private String repository;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void app() throws IOException {
        services = TestServices.require("REGISTRY");
        repository = "it/retry-" + UUID.randomUUID().toString().substring(0, 8);
        Path app = Files.createDirectories(workspace.resolve("src"));
        Files.writeString(app.resolve("hello.txt"), "hello from pyerp\n");
        Files.writeString(app.resolve("settings.py"), "DEBUG = False\nALLOWED_HOSTS = ['*']\n");
        Path script = Files.writeString(app.resolve("run.sh"), "#!/bin/sh\ncat /app/hello.txt\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    @Timeout(180)
    void aPushThroughAFlakyRegistrySucceedsWithTheFaultFreeDigest() throws Exception {
        Map<String, String> direct = run(runner(services.get("REGISTRY") + "/" + repository + "-direct",
                services.get("REGISTRY")), 0);

        try (FaultInjectingProxy proxy = FaultInjectingProxy.to(services.get("REGISTRY")).faults(SEED, 0.07, 0.06, 0.07)
                .limitStatusFaults(STATUS_FAULTS)) {
            long start = System.nanoTime();
            Map<String, String> flaky = run(runner(proxy.address() + "/" + repository,
                    proxy.address() + "\n" + services.get("REGISTRY")), 0);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            String printed = log.toString(StandardCharsets.UTF_8);
            long retries = printed.lines().filter(line -> line.startsWith("::warning title=Registry hiccup::")).count();
            System.out.printf("RegistryRetryIT: seed %d, %d requests, %d faults (%d x 500, %d x 429, %d resets),"
                    + " %d TLS attempts, %d whole-build retries, %d ms%n", SEED, proxy.requests(), proxy.faults(),
                    proxy.faults(Fault.SERVER_ERROR), proxy.faults(Fault.TOO_MANY_REQUESTS), proxy.faults(Fault.RESET),
                    proxy.tlsAttempts(), retries, took.toMillis());

            assertEquals("true", flaky.get("pushed"));
            assertEquals(direct.get("digest"), flaky.get("digest"), "same image whatever the registry did");
            assertEquals(proxy.address() + "/" + repository + "@" + direct.get("digest"), flaky.get("image"));
            assertTrue(proxy.faults() > 0, "faults were injected");
            for (Fault kind : Fault.values()) {
                assertTrue(proxy.faults(kind) > 0, kind + " was injected: " + proxy.exchanges());
            }
            assertTrue(proxy.tlsAttempts() > 0, "Jib tried HTTPS first and fell back to HTTP");
            assertTrue(retries >= 1 && retries <= STATUS_FAULTS, retries + " whole-build retries: " + printed);
            assertTrue(printed.lines().noneMatch(line -> line.startsWith("::error")), printed);
        }
        assertEquals(200, upstream("/v2/" + repository + "/manifests/" + direct.get("digest")));
        assertTrue(tags(repository).contains("\"main\""), tags(repository));
    }

    /**
     * With a dependency layer, the last layer goes through {@link TopLayerPush}, which hands a failed push back to Jib:
     * whatever fails where, the image is the fault-free one.
     */
    @Test
    @Timeout(300)
    void aTwoLayerPushThroughAFlakyRegistrySucceedsWithTheFaultFreeDigest() throws Exception {
        Path deps = Files.createDirectories(workspace.resolve("deps/site-packages"));
        Files.writeString(deps.resolve("module.py"), "VALUE = 42\n");
        Map<String, String> direct = run(withDependencyLayer(runner(services.get("REGISTRY") + "/" + repository + "-direct",
                services.get("REGISTRY"))), 0);

        for (long seed : new long[] {SEED, 5, 11}) {
            try (FaultInjectingProxy proxy = FaultInjectingProxy.to(services.get("REGISTRY")).faults(seed, 0.07, 0.06, 0.07)
                    .limitStatusFaults(STATUS_FAULTS)) {
                log.reset();
                Map<String, String> flaky = run(withDependencyLayer(runner(proxy.address() + "/" + repository + "-" + seed,
                        proxy.address() + "\n" + services.get("REGISTRY"))), 0);
                String printed = log.toString(StandardCharsets.UTF_8);

                System.out.printf("RegistryRetryIT two layers: seed %d, %d requests, %d faults, direct push %s%n", seed,
                        proxy.requests(), proxy.faults(), printed.contains("Pushing the last layer directly failed")
                                ? "failed, Jib pushed" : "succeeded");
                assertEquals("true", flaky.get("pushed"));
                assertEquals(direct.get("digest"), flaky.get("digest"), "seed " + seed + ": the fault-free image: " + printed);
                assertTrue(proxy.faults() > 0, "faults were injected");
                assertTrue(printed.lines().noneMatch(line -> line.startsWith("::error")), printed);
            }
        }
    }

    private static Map<String, String> withDependencyLayer(Map<String, String> env) {
        env.put("INPUT_LAYERS", "deps:/app/deps\nsrc:/app");
        return env;
    }

    @Test
    @Timeout(60)
    void ghcrDeniedOnTheFirstBlobUploadFailsFastWithOnePermissionsError() throws Exception {
        try (FaultInjectingProxy proxy = FaultInjectingProxy.to(services.get("REGISTRY"))
                .answer("POST /v2/.+/blobs/uploads/(\\?.*)?", 403, GHCR_DENIED)) {
            long start = System.nanoTime();
            run(runner(proxy.address() + "/" + repository, proxy.address() + "\n" + services.get("REGISTRY")), 1);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            String printed = log.toString(StandardCharsets.UTF_8);
            List<String> errors = printed.lines().filter(line -> line.startsWith("::error")).toList();
            assertEquals(1, errors.size(), printed);
            assertTrue(errors.get(0).contains("permissions: packages: write"), errors.get(0));
            assertTrue(errors.get(0).toLowerCase().contains("fork"), errors.get(0));
            assertTrue(printed.lines().noneMatch(line -> line.startsWith("::warning title=Registry hiccup")),
                    "no retry: " + printed);
            assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "failed fast, took " + took.toMillis() + " ms");

            // The push-rights check before the build: one upload session asked for, refused; nothing built or written.
            List<Exchange> exchanges = proxy.exchanges();
            assertEquals(1, exchanges.stream().filter(e -> e.method().equals("POST")).count(), exchanges.toString());
            assertTrue(exchanges.stream().noneMatch(e -> e.method().equals("HEAD") && e.target().contains("/blobs/")),
                    "no blob checked, so no build: " + exchanges);
            assertTrue(exchanges.stream().noneMatch(e -> e.method().equals("PATCH") || e.method().equals("PUT")),
                    "nothing written: " + exchanges);
            assertTrue(errors.get(0).startsWith("::error title=Push not allowed::"), errors.get(0));
        }
        assertEquals(404, upstream("/v2/" + repository + "/tags/list"), "nothing pushed");
    }

    private Map<String, String> runner(String image, String insecureRegistries) throws IOException {
        Map<String, String> env = RunnerEnv.withHeadCommit(RunnerEnv.pushToMain(workspace), workspace);
        env.put("RUNNER_TEMP", workspace.toString());
        env.put("HOME", workspace.toString());
        env.put("INPUT_IMAGES", image);
        env.put("INPUT_TAGS", "type=ref,event=branch\ntype=sha");
        env.put("INPUT_BASE-IMAGE", services.get("BASE_IMAGE"));
        env.put("INPUT_LAYERS", "src:/app");
        env.put("INPUT_ENTRYPOINT", "[\"/app/run.sh\"]");
        env.put("INPUT_INSECURE-REGISTRIES", insecureRegistries);
        env.put("INPUT_DEPLOY", "false");
        return env;
    }

    private Map<String, String> run(Map<String, String> env, int expectedExit) throws IOException {
        PrintStream print = new PrintStream(log, true, StandardCharsets.UTF_8);
        int exit = Main.run(new String[0], env, print, print, workspace);
        assertEquals(expectedExit, exit, log.toString(StandardCharsets.UTF_8));
        return RunnerFileCommands.parse(Files.readString(Path.of(env.get("GITHUB_OUTPUT"))));
    }

    /** The status of a GET straight to the registry, around the proxy. */
    private int upstream(String path) throws Exception {
        return send(path, HttpResponse::statusCode);
    }

    private String tags(String repository) throws Exception {
        return send("/v2/" + repository + "/tags/list", HttpResponse::body);
    }

    private <T> T send(String path, Function<HttpResponse<String>, T> read) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + services.get("REGISTRY") + path))
                .header("Accept", "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json")
                .build();
        return read.apply(HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()));
    }
}
