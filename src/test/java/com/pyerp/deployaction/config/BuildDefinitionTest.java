package com.pyerp.deployaction.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.Workspace;
import com.pyerp.deployaction.config.BuildSpec.CopySpec;
import com.pyerp.deployaction.config.BuildSpec.FileProperties;
import com.pyerp.deployaction.config.BuildSpec.LayerSpec;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class BuildDefinitionTest {

    private static final String BUILD_FILE = """
            apiVersion: jib/v1alpha1
            kind: BuildFile
            from:
              image: "python:3.11-slim"
              platforms:
                - architecture: amd64
                  os: linux
            creationTime: 2000
            format: Docker
            environment:
              A: "from file"
              B: "from file"
            labels:
              org.example.team: "erp"
            volumes:
              - /data
            exposedPorts:
              - "8000"
            user: "1000:1000"
            workingDirectory: /srv
            entrypoint: ["python3", "-m", "app"]
            cmd: ["--port", "8000"]
            layers:
              entries:
                - name: application
                  files:
                    - src: app
                      dest: /srv/app
            """;

    @TempDir
    Path workspace;

    // The build file

    @Test
    void withoutABuildFileOrInputsNothingIsSet() {
        assertEquals(new BuildSpec(null, List.of(), null, null, Map.of(), Map.of(), List.of(), List.of(), null, null,
                null, null, List.of()), resolve());
    }

    @Test
    void theDefaultJibYamlIsUsedWhenBuildFileIsEmpty() throws IOException {
        Files.writeString(workspace.resolve("jib.yaml"), BUILD_FILE);

        BuildSpec spec = resolve("build-file", "  ");

        assertEquals(fileSpec(workspace), spec);
    }

    @Test
    void buildFileNamesAFileRelativeToTheWorkingDirectory() throws IOException {
        Files.writeString(workspace.resolve("jib.yaml"), BUILD_FILE.replace("python:3.11-slim", "ignored"));
        Path subdirectory = Files.createDirectories(workspace.resolve("deploy/image"));
        Files.writeString(subdirectory.resolve("build.yaml"), BUILD_FILE);

        BuildSpec spec = resolve("build-file", "deploy/image/build.yaml");

        // src paths start at the build file's directory.
        assertEquals(fileSpec(subdirectory), spec);
    }

    @Test
    void everyInputReplacesOnlyItsOwnField() throws IOException {
        Files.writeString(workspace.resolve("jib.yaml"), BUILD_FILE);
        BuildSpec file = resolve();
        assertEquals(fileSpec(workspace), file);

        record Case(String input, String value, String component, Object expected) {}
        List<Case> cases = List.of(
                new Case("base-image", "ghcr.io/o/python@sha256:" + "a".repeat(64), "baseImage",
                        "ghcr.io/o/python@sha256:" + "a".repeat(64)),
                new Case("platforms", "linux/amd64,\nlinux/arm64", "platforms", List.of("linux/amd64", "linux/arm64")),
                new Case("format", "OCI", "format", "oci"),
                new Case("volumes", "/app/media\n/app/cache", "volumes", List.of("/app/media", "/app/cache")),
                new Case("ports", "8080, 53/UDP", "exposedPorts", List.of("8080/tcp", "53/udp")),
                new Case("user", "10001:10001", "user", "10001:10001"),
                new Case("workdir", "/app/src", "workingDirectory", "/app/src"),
                new Case("entrypoint", "[\"python3\", \"-m\", \"gunicorn\"]", "entrypoint",
                        List.of("python3", "-m", "gunicorn")),
                new Case("cmd", "pyerp.wsgi:application --bind '0.0.0.0:8000'", "cmd",
                        List.of("pyerp.wsgi:application", "--bind", "0.0.0.0:8000")),
                new Case("layers", "build/deps:/app/deps", "layers", List.of(new LayerSpec("/app/deps", List.of(
                        new CopySpec(workspace.resolve("build/deps"), "/app/deps", List.of(), List.of(),
                                FileProperties.NONE))))),
                new Case("env", "C=input", "environment", Map.of("A", "from file", "B", "from file", "C", "input")));

        for (Case c : cases) {
            BuildSpec spec = resolve(c.input(), c.value());
            for (RecordComponent component : BuildSpec.class.getRecordComponents()) {
                Object expected = component.getName().equals(c.component()) ? c.expected() : value(component, file);
                assertEquals(expected, value(component, spec), c.input() + " -> " + component.getName());
            }
        }
    }

    @Test
    void allInputsTogetherOverTheBuildFile() throws IOException {
        Files.writeString(workspace.resolve("jib.yaml"), BUILD_FILE);

        BuildSpec spec = resolve(
                "base-image", "ubuntu:24.04",
                "platforms", "linux/arm64/v8",
                "format", "docker",
                "volumes", "/v",
                "ports", "9000",
                "user", "app:app",
                "workdir", "/w",
                "entrypoint", "/bin/sh -c",
                "cmd", "[\"echo hi\"]",
                "env", "B=input",
                "layers", "out:/out");

        assertEquals(new BuildSpec("ubuntu:24.04", List.of("linux/arm64/v8"), Instant.ofEpochMilli(2000), "docker",
                Map.of("A", "from file", "B", "input"), Map.of("org.example.team", "erp"), List.of("/v"),
                List.of("9000/tcp"), "app:app", "/w", List.of("/bin/sh", "-c"), List.of("echo hi"),
                List.of(new LayerSpec("/out", List.of(new CopySpec(workspace.resolve("out"), "/out", List.of(),
                        List.of(), FileProperties.NONE))))), spec);
    }

    // env

    @Test
    void envAddsToAndOverridesTheFilesEnvironment() throws IOException {
        Files.writeString(workspace.resolve("jib.yaml"), BUILD_FILE);

        BuildSpec spec = resolve("env", "B=override\r\n\nC=with=equals\n  D=\nE=two words\n");

        assertEquals(Map.of("A", "from file", "B", "override", "C", "with=equals", "D", "", "E", "two words"),
                spec.environment());
    }

    @Test
    void theEnvironmentKeepsItsOrderSoTheSameInputsGiveTheSameImage() {
        List<String> keys = List.of("K9", "K1", "K8", "K2", "K7", "K3", "K6", "K4", "K5", "K0", "KA", "KB");
        String lines = String.join("\n", keys.stream().map(key -> key + "=v").toList());
        assertEquals(keys, List.copyOf(resolve("env", lines).environment().keySet()),
                "the order in the image configuration, and so its digest, must not change from run to run");
    }

    @Test
    void envWithoutABuildFile() {
        assertEquals(Map.of("PYTHONUNBUFFERED", "1", "_UNDER9", "x"),
                resolve("env", "PYTHONUNBUFFERED=1\n_UNDER9=x").environment());
    }

    // layers

    @Test
    void eachLayersLineIsOneLayerNamedAfterItsDestination() {
        BuildSpec spec = resolve("layers", """
                build/deps:/app/deps

                  ./src/../app:/app/src  \s
                %s:/opt/tools
                """.formatted(workspace.resolve("tools")));

        assertEquals(List.of(
                        new LayerSpec("/app/deps", List.of(new CopySpec(workspace.resolve("build/deps"), "/app/deps",
                                List.of(), List.of(), FileProperties.NONE))),
                        new LayerSpec("/app/src", List.of(new CopySpec(workspace.resolve("app"), "/app/src",
                                List.of(), List.of(), FileProperties.NONE))),
                        new LayerSpec("/opt/tools", List.of(new CopySpec(workspace.resolve("tools"), "/opt/tools",
                                List.of(), List.of(), FileProperties.NONE)))),
                spec.layers());
    }

    @Test
    void layerSourcesAreRelativeToTheWorkingDirectoryNotTheBuildFile() throws IOException {
        Path subdirectory = Files.createDirectories(workspace.resolve("deploy"));
        Files.writeString(subdirectory.resolve("jib.yaml"), BUILD_FILE);

        BuildSpec spec = resolve("build-file", "deploy/jib.yaml", "layers", "build/deps:/app/deps");

        assertEquals(workspace.resolve("build/deps"), spec.layers().get(0).copies().get(0).source());
    }

    // Rejections

    static Stream<Arguments> rejections() {
        return Stream.of(
                Arguments.of("ports", "8000, http", "http"),
                Arguments.of("ports", "0", "0"),
                Arguments.of("ports", "65536", "65536"),
                Arguments.of("ports", "8000/sctp", "8000/sctp"),
                Arguments.of("ports", "8000-8002", "8000-8002"),
                Arguments.of("platforms", "linux/amd64, windows/amd64", "windows/amd64"),
                Arguments.of("platforms", "amd64", "amd64"),
                Arguments.of("user", "app user", "app user"),
                Arguments.of("user", "10001:", "10001:"),
                Arguments.of("user", "-1", "-1"),
                Arguments.of("workdir", "app/src", "app/src"),
                Arguments.of("volumes", "/data\ncache", "cache"),
                Arguments.of("layers", "build/deps", "build/deps"),
                Arguments.of("layers", "build/deps:app/deps", "build/deps:app/deps"),
                Arguments.of("layers", ":/app", ":/app"),
                Arguments.of("layers", "ok:/ok\nbroken line", "broken line"),
                Arguments.of("entrypoint", "[\"python3\", ", "[\"python3\","),
                Arguments.of("entrypoint", "[\"python3\", 3]", "[\"python3\", 3]"),
                Arguments.of("cmd", "[\"a\", [\"b\"]]", "[\"a\", [\"b\"]]"),
                Arguments.of("cmd", "--bind \"0.0.0.0:8000", "--bind \"0.0.0.0:8000"),
                Arguments.of("entrypoint", "sh -c 'echo", "sh -c 'echo"),
                Arguments.of("env", "NOEQUALS", "line 1 has no '='"),
                Arguments.of("env", "A=1\n=value", "line 2 has no name before '='"),
                Arguments.of("env", "1ST=x", "line 1 names '1ST'"),
                Arguments.of("env", "BAD-NAME=x", "line 1 names 'BAD-NAME'"),
                Arguments.of("format", "tar", "tar"),
                Arguments.of("build-file", "missing.yaml", "missing.yaml"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("rejections")
    void aBadInputIsRejectedByNameWithTheBadValue(String input, String value, String named) {
        ActionException e = assertThrows(ActionException.class, () -> resolve(input, value));

        assertEquals("Invalid input: " + input, e.title());
        assertTrue(e.getMessage().contains(named), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"DB PASSWORD=s3cr3tvalue", "A=1\ns3cr3tvalue", "=s3cr3tvalue", "9X=s3cr3tvalue"})
    void aBadEnvLineNeverEchoesItsValue(String value) {
        ActionException e = assertThrows(ActionException.class, () -> resolve("env", value));

        assertFalse(e.getMessage().contains("s3cr3tvalue"), e.getMessage());
        assertTrue(e.getMessage().contains("NAME=value"), e.getMessage());
    }

    @Test
    void aMissingBuildFileIsRejectedEvenWhenJibYamlExists() throws IOException {
        Files.writeString(workspace.resolve("jib.yaml"), BUILD_FILE);

        ActionException e = assertThrows(ActionException.class, () -> resolve("build-file", "deploy/jib.yaml"));

        assertEquals("Invalid input: build-file", e.title());
        assertTrue(e.getMessage().contains("'deploy/jib.yaml'"), e.getMessage());
        assertTrue(e.getMessage().contains(workspace.toAbsolutePath().normalize().toString()), e.getMessage());
    }

    @Test
    void aDirectoryIsNotABuildFile() throws IOException {
        Files.createDirectory(workspace.resolve("deploy"));

        ActionException e = assertThrows(ActionException.class, () -> resolve("build-file", "deploy"));

        assertEquals("Invalid input: build-file", e.title());
    }

    // Helpers

    /** The spec of {@link #BUILD_FILE} read from {@code directory}. */
    private static BuildSpec fileSpec(Path directory) {
        return new BuildSpec("python:3.11-slim", List.of("linux/amd64"), Instant.ofEpochMilli(2000), "docker",
                Map.of("A", "from file", "B", "from file"), Map.of("org.example.team", "erp"), List.of("/data"),
                List.of("8000/tcp"), "1000:1000", "/srv", List.of("python3", "-m", "app"), List.of("--port", "8000"),
                List.of(new LayerSpec("application", List.of(new CopySpec(directory.resolve("app"), "/srv/app",
                        List.of(), List.of(), FileProperties.NONE)))));
    }

    /** Resolves with {@code INPUT_<NAME>} variables for the given input ids and values. */
    private BuildSpec resolve(String... idsAndValues) {
        Map<String, String> environment = new HashMap<>();
        for (int i = 0; i < idsAndValues.length; i += 2) {
            Input input = Input.byId(idsAndValues[i]).orElseThrow();
            environment.put(input.environmentName(), idsAndValues[i + 1]);
        }
        Inputs inputs = Inputs.from(environment, Map.of());
        return BuildDefinition.resolve(inputs, PipelineSettings.read(inputs, ContextSource.WORKFLOW).format(),
                new Workspace(workspace, null));
    }

    private static Object value(RecordComponent component, BuildSpec spec) {
        try {
            return component.getAccessor().invoke(spec);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
