package com.pyerp.deployaction.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pyerp.deployaction.Main;
import com.pyerp.deployaction.action.RunnerFileCommands;
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
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A tiny web app (busybox httpd serving {@code /health} with its version) built and pushed by the action itself,
 * and deployed by it over SSH to the loopback docker, the way a workflow would run it: INPUT_* variables,
 * GITHUB_OUTPUT and a step summary. One fixture per test: its own image repository, app-dir, compose project and
 * port.
 */
final class DeployFixture implements AutoCloseable {

    final TestServices services;
    final Path workspace;
    final int port;
    final String id = UUID.randomUUID().toString().substring(0, 8);
    final String repository;
    /** The fixture's own directory on the server, owned by the deploy user; app-dir is inside it, not yet made. */
    final Path serverRoot;
    final String appDir;
    final String project;
    final String secret = "s3cr3t-" + UUID.randomUUID();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Path summary;

    DeployFixture(Path workspace, int port) throws IOException {
        this.services = TestServices.require("REGISTRY", "SSH");
        this.workspace = workspace;
        this.port = port;
        this.repository = services.get("REGISTRY") + "/deploy-it/app-" + id;
        this.serverRoot = Path.of("/tmp/pyerp-deploy-it-" + id);
        Files.createDirectory(serverRoot, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        UserPrincipalLookupService users = serverRoot.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(serverRoot, users.lookupPrincipalByName(services.get("SSH_USER")));
        Files.getFileAttributeView(serverRoot, PosixFileAttributeView.class)
                .setGroup(users.lookupPrincipalByGroupName(services.get("SSH_USER")));
        // Compose names the project after app-dir's last part.
        this.appDir = serverRoot.resolve("app-" + id).toString();
        this.project = "app-" + id;
        Files.writeString(workspace.resolve("compose.yaml"), """
                services:
                  web:
                    image: ${APP_IMAGE}
                    network_mode: host
                    restart: unless-stopped
                    env_file: .env
                """);
        Files.writeString(workspace.resolve("app.env"), "PORT=" + port + "\nSECRET_KEY=" + secret + "\n");
        version("v1", true);
    }

    /** The app's content: {@code /health} answers {@code name}, or 404 when {@code healthy} is false. */
    void version(String name, boolean healthy) throws IOException {
        Path src = workspace.resolve("src");
        Files.createDirectories(src.resolve("www"));
        Files.deleteIfExists(src.resolve("www/health"));
        Files.writeString(src.resolve("www/index.html"), name + "\n");
        if (healthy) {
            Files.writeString(src.resolve("www/health"), name + "\n");
        }
        Path run = Files.writeString(src.resolve("run.sh"), "#!/bin/sh\ntrap 'exit 0' TERM\n"
                + "busybox httpd -f -p 127.0.0.1:${PORT} -h /app/www &\nwait\n");
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /**
     * The fixture's app with a web service in the slots (on ${APP_PORT}) and a worker in app-dir's own project; with
     * {@code assetPath}, the web service mounts ${APP_ASSETS} there.
     */
    void writeProxyCompose(String assetPath) throws IOException {
        Files.writeString(workspace.resolve("compose.yaml"), """
                services:
                  web:
                    image: ${APP_IMAGE}
                    network_mode: host
                    restart: unless-stopped
                    env_file: .env
                    environment:
                      PORT: ${APP_PORT}%s
                  worker:
                    image: ${APP_IMAGE}
                    network_mode: host
                    restart: unless-stopped
                    entrypoint: ["/bin/sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
                """.formatted(assetPath == null ? "" : "\n    volumes: [\"${APP_ASSETS}:" + assetPath + ":ro\"]"));
    }

    Map<String, String> env(String... inputs) throws IOException {
        Map<String, String> env = RunnerEnv.pushToMain(workspace);
        summary = Files.createTempFile(workspace, "summary", "");
        env.put("GITHUB_STEP_SUMMARY", summary.toString());
        env.put("GITHUB_ACTOR", "octocat");
        env.put("GITHUB_RUN_ID", "42");
        env.put("RUNNER_TEMP", workspace.toString());
        env.put("HOME", workspace.toString());
        env.put("INPUT_IMAGES", repository);
        env.put("INPUT_TAGS", "type=raw,value=" + id);
        env.put("INPUT_BASE-IMAGE", services.get("BASE_IMAGE"));
        env.put("INPUT_LAYERS", "src:/app");
        env.put("INPUT_ENTRYPOINT", "[\"/app/run.sh\"]");
        env.put("INPUT_INSECURE-REGISTRIES", services.get("REGISTRY"));
        env.put("INPUT_DEPLOY", "auto");
        env.put("INPUT_SSH-HOST", services.get("SSH_HOST"));
        env.put("INPUT_SSH-PORT", services.get("SSH_PORT"));
        env.put("INPUT_SSH-USER", services.get("SSH_USER"));
        env.put("INPUT_SSH-KEY", Files.readString(Path.of(services.get("SSH_KEY_FILE"))));
        env.put("INPUT_SSH-KNOWN-HOSTS", Files.readString(Path.of(services.get("SSH_KNOWN_HOSTS_FILE"))));
        env.put("INPUT_APP-DIR", appDir);
        env.put("INPUT_ENV-FILE", "app.env");
        env.put("INPUT_HEALTH-URL", "http://127.0.0.1:" + port + "/health");
        env.put("INPUT_HEALTH-INTERVAL", "1s");
        env.put("INPUT_HEALTH-TIMEOUT", "20s");
        for (int i = 0; i < inputs.length; i += 2) {
            if (inputs[i + 1] == null) {
                env.remove(inputs[i]);
            } else {
                env.put(inputs[i], inputs[i + 1]);
            }
        }
        return env;
    }

    /** Runs the action in this JVM, as the runner would run the jar; returns the outputs. */
    Map<String, String> run(Map<String, String> env, int expectedExit) throws IOException {
        log = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(log, true, StandardCharsets.UTF_8);
        int exit = Main.run(new String[0], env, print, print, workspace);
        assertEquals(expectedExit, exit, log());
        return RunnerFileCommands.parse(Files.readString(Path.of(env.get("GITHUB_OUTPUT"))));
    }

    /** An action run in another thread. */
    record Run(java.util.concurrent.CompletableFuture<Integer> exit, ByteArrayOutputStream output) {
        int exitCode() throws Exception {
            return exit.get(5, java.util.concurrent.TimeUnit.MINUTES);
        }

        String log() {
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    /** Starts the action in another thread with its own log. */
    Run start(Map<String, String> env) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8);
        return new Run(java.util.concurrent.CompletableFuture.supplyAsync(
                () -> Main.run(new String[0], env, print, print, workspace)), output);
    }

    /** Waits until a file exists under app-dir on the server (the same machine here). */
    void awaitServerFile(String file) throws InterruptedException {
        for (int i = 0; i < 600 && !Files.exists(Path.of(appDir, file)); i++) {
            Thread.sleep(100);
        }
        if (!Files.exists(Path.of(appDir, file))) {
            throw new AssertionError(file + " never appeared in " + appDir);
        }
    }

    String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    List<String> errors() {
        return log().lines().filter(line -> line.startsWith("::error")).toList();
    }

    /** What the app answers on /health now: the body, {@code HTTP n}, or {@code down}. */
    String probe() {
        return probe(port);
    }

    /** What the app listening on {@code port} answers on /health now. */
    static String probe(int port) {
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body().strip() : "HTTP " + response.statusCode();
        } catch (IOException e) {
            return "down";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "down";
        }
    }

    /** Ids of the app's running containers. */
    List<String> containers() throws Exception {
        return Processes.run("docker", "ps", "-q", "--no-trunc", "--filter", "label=com.docker.compose.project=" + project)
                .output().lines().toList();
    }

    String onServer(String file) throws IOException {
        Path path = Path.of(appDir, file);
        return Files.exists(path) ? Files.readString(path) : null;
    }

    @Override
    public void close() throws Exception {
        for (String each : List.of(project, project + "-blue", project + "-green", project + "-migrate")) {
            for (String container : Processes.run("docker", "ps", "-aq", "--filter", "label=com.docker.compose.project="
                    + each).output().lines().toList()) {
                Processes.run("docker", "rm", "-f", container);
            }
        }
        Processes.run("rm", "-rf", serverRoot.toString());
        for (String image : Processes.run("docker", "image", "ls", "-q", repository).output().lines().distinct().toList()) {
            Processes.run("docker", "image", "rm", "-f", image);
        }
    }
}
