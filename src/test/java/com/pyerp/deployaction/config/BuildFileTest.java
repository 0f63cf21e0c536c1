package com.pyerp.deployaction.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.config.BuildSpec.CopySpec;
import com.pyerp.deployaction.config.BuildSpec.FileProperties;
import com.pyerp.deployaction.config.BuildSpec.LayerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildFileTest {

    private static final Path BASE = Path.of("/work/project");
    /** Lines 1 and 2 of every test file, so line numbers in messages start at 3 for the rest. */
    private static final String HEAD = "apiVersion: jib/v1alpha1\nkind: BuildFile\n";

    private static BuildSpec parse(String yaml) {
        return BuildFile.parse(yaml, BASE, "jib.yaml");
    }

    private static String rejection(String yaml) {
        ActionException e = assertThrows(ActionException.class, () -> parse(yaml));
        assertEquals("Invalid build file", e.title());
        return e.getMessage();
    }

    @Test
    void theExampleApp() {
        Path app = Path.of("examples/pyerp").toAbsolutePath();
        FileProperties all = new FileProperties("644", "755", "0", "0", null);
        List<String> pycache = List.of("**/__pycache__", "**/__pycache__/**", "**/*.pyc");
        List<String> notApplication = List.of("**/build", "**/build/**", "**/.git", "**/.git/**", "**/__pycache__",
                "**/__pycache__/**", "**/*.pyc", "**/.env", "**/.env.*", "**/tests", "**/tests/**", "**/media",
                "**/media/**", "**/staticfiles", "**/staticfiles/**", "**/db.sqlite3", "**/.gitignore", "**/jib.yaml",
                "**/compose.yaml", "**/compose.demo.yaml", "**/deploy.yml", "**/README.md");
        assertEquals(new BuildSpec(
                "python:3.11-slim-bookworm",
                List.of("linux/amd64"),
                null,
                "docker",
                Map.of("PYTHONPATH", "/app/deps:/app/src", "PYTHONUNBUFFERED", "1", "PYTHONDONTWRITEBYTECODE", "1",
                        "DJANGO_SETTINGS_MODULE", "pyerp.settings", "MEDIA_ROOT", "/app/media"),
                Map.of(),
                List.of("/app/media"),
                List.of("8000/tcp"),
                "10001:10001",
                "/app/src",
                List.of("python3", "-m", "gunicorn"),
                List.of("pyerp.wsgi:application", "--bind", "0.0.0.0:8000"),
                List.of(
                        new LayerSpec("dependencies", List.of(
                                new CopySpec(app.resolve("build/deps"), "/app/deps", List.of(), pycache, all))),
                        new LayerSpec("application", List.of(
                                new CopySpec(app, "/app/src", List.of(), notApplication, all),
                                new CopySpec(app.resolve("media"), "/app/media", List.of(), List.of("**/media/**"),
                                        new FileProperties("644", "750", "10001", "10001", null)))))),
                BuildFile.parse(Path.of("examples/pyerp/jib.yaml")));
    }

    @Test
    void everyField() {
        BuildSpec spec = parse(HEAD + """
                from:
                  image: "ubuntu"
                  platforms:
                    - architecture: "arm64"
                      os: "linux"
                    - {architecture: arm, os: linux, variant: v7}
                creationTime: 2000
                format: OCI
                environment:
                  "KEY1": "v1"
                  PORT: 8000
                  EMPTY: ""
                labels:
                  "label1": "l1"
                volumes:
                  - "/volume1"
                  - "/volume2"
                exposedPorts:
                  - "123/udp"
                  - 456
                  - "789/tcp"
                  - "9000-9002"
                  - "456/tcp"
                user: "customUser"
                workingDirectory: "/home"
                entrypoint:
                  - "sh"
                  - "script.sh"
                cmd: ["--param", ""]
                layers:
                  properties:
                    filePermissions: "600"
                    directoryPermissions: "700"
                    user: "2"
                    group: "4"
                    timestamp: "1232"
                  entries:
                    - name: "scripts"
                      properties:
                        filePermissions: "640"
                        timestamp: 2020-06-08T14:54:36+02:00
                      files:
                        - src: "project/run.sh"
                          dest: "/home/run.sh"
                        - src: "../scripts/"
                          dest: "/home/scripts"
                          excludes: ["**/exclude.me", "**/*.ignore"]
                          includes:
                            - "**/include.me"
                          properties:
                            filePermissions: 755
                            user: app
                    - name: "images"
                      files:
                        - src: /data/images
                          dest: "/images/"
                """);
        FileProperties all = new FileProperties("600", "700", "2", "4", Instant.ofEpochMilli(1232));
        FileProperties scripts = new FileProperties("640", "700", "2", "4", Instant.parse("2020-06-08T12:54:36Z"));
        assertEquals(new BuildSpec(
                "ubuntu",
                List.of("linux/arm64", "linux/arm/v7"),
                Instant.ofEpochMilli(2000),
                "oci",
                Map.of("KEY1", "v1", "PORT", "8000", "EMPTY", ""),
                Map.of("label1", "l1"),
                List.of("/volume1", "/volume2"),
                List.of("123/udp", "456/tcp", "789/tcp", "9000/tcp", "9001/tcp", "9002/tcp"),
                "customUser",
                "/home",
                List.of("sh", "script.sh"),
                List.of("--param", ""),
                List.of(
                        new LayerSpec("scripts", List.of(
                                new CopySpec(BASE.resolve("project/run.sh"), "/home/run.sh", List.of(), List.of(),
                                        scripts),
                                new CopySpec(Path.of("/work/scripts"), "/home/scripts", List.of("**/include.me"),
                                        List.of("**/exclude.me", "**/*.ignore"),
                                        new FileProperties("755", "700", "app", "4", scripts.timestamp())))),
                        new LayerSpec("images", List.of(
                                new CopySpec(Path.of("/data/images"), "/images/", List.of(), List.of(), all))))),
                spec);
    }

    @Test
    void onlyTheRequiredKeys() {
        assertEquals(new BuildSpec(null, List.of(), null, null, Map.of(), Map.of(), List.of(), List.of(), null, null,
                null, null, List.of()), parse(HEAD));
    }

    @Test
    void entrypointAndCmdMayBeOneWordOrEmpty() {
        BuildSpec spec = parse(HEAD + "entrypoint: /app/run.sh\ncmd: []\n");
        assertEquals(List.of("/app/run.sh"), spec.entrypoint());
        assertEquals(List.of(), spec.cmd());
        assertNull(parse(HEAD + "cmd: [serve]\n").entrypoint());
    }

    @Test
    void creationTimeAcceptsIso8601() {
        assertEquals(Instant.parse("2020-06-08T14:54:36Z"),
                parse(HEAD + "creationTime: \"2020-06-08T14:54:36Z\"\n").creationTime());
        assertEquals(Instant.parse("2020-06-08T12:54:36Z"),
                parse(HEAD + "creationTime: 2020-06-08T14:54:36+02:00\n").creationTime());
    }

    @Test
    void propertiesMergeCopyOverLayerOverAllLayers() {
        List<LayerSpec> layers = parse(HEAD + """
                layers:
                  properties:
                    filePermissions: "600"
                    user: "1"
                  entries:
                    - name: first
                      properties:
                        filePermissions: "640"
                        group: "2"
                      files:
                        - src: a
                          dest: /a
                        - src: b
                          dest: /b
                          properties:
                            filePermissions: "644"
                            user: "3"
                            timestamp: 0
                    - name: second
                      files:
                        - src: c
                          dest: /c
                """).layers();
        assertEquals(new FileProperties("640", null, "1", "2", null), layers.get(0).copies().get(0).properties());
        assertEquals(new FileProperties("644", null, "3", "2", Instant.EPOCH),
                layers.get(0).copies().get(1).properties());
        assertEquals(new FileProperties("600", null, "1", null, null), layers.get(1).copies().get(0).properties());
        assertEquals(FileProperties.NONE, parse(HEAD + """
                layers:
                  entries:
                    - name: plain
                      files:
                        - src: a
                          dest: /a
                """).layers().get(0).copies().get(0).properties());
    }

    @Test
    void rejectsAMissingOrUnreadableFile(@TempDir Path directory) throws Exception {
        Path missing = directory.resolve("jib.yaml");
        assertEquals(missing + ": file not found (looked for " + missing + "); set the 'build-file' input to the"
                + " path of your build file, relative to the working directory",
                assertThrows(ActionException.class, () -> BuildFile.parse(missing)).getMessage());
        Files.write(missing, new byte[] {(byte) 0xff, (byte) 0xfe});
        assertEquals(missing + ": not UTF-8 text; save the file as UTF-8",
                assertThrows(ActionException.class, () -> BuildFile.parse(missing)).getMessage());
    }

    @Test
    void rejectsInvalidYaml() {
        assertEquals("jib.yaml:4: invalid YAML (mapping values are not allowed here at column 11); check the"
                + " indentation and quoting on this line and the one before",
                rejection(HEAD + "from:\n  image: a: b\n"));
        assertEquals("jib.yaml:3: invalid YAML (expected a single document in the stream, but found another document at"
                + " column 1); check the indentation"
                + " and quoting on this line and the one before", rejection(HEAD + "---\n" + HEAD));
        assertEquals("jib.yaml:1: the file is empty; start it with apiVersion: jib/v1alpha1 and kind: BuildFile",
                rejection("# nothing yet\n"));
        assertEquals("jib.yaml:1: the build file must be a mapping with the keys apiVersion, kind, from,"
                + " creationTime, format, environment, labels, volumes, exposedPorts, user, workingDirectory,"
                + " entrypoint, cmd, layers, but it is a list; write key: value lines", rejection("- apiVersion\n"));
    }

    @Test
    void rejectsAMissingOrWrongApiVersionOrKind() {
        assertEquals("jib.yaml:1: missing required key 'apiVersion' at the top level; add apiVersion: jib/v1alpha1",
                rejection("kind: BuildFile\n"));
        assertEquals("jib.yaml:1: 'apiVersion' is 'v1alpha1', but it must be jib/v1alpha1; write"
                + " apiVersion: jib/v1alpha1", rejection("apiVersion: v1alpha1\nkind: BuildFile\n"));
        assertEquals("jib.yaml:1: missing required key 'kind' at the top level; add kind: BuildFile",
                rejection("apiVersion: jib/v1alpha1\n"));
        assertEquals("jib.yaml:2: 'kind' is 'Build', but it must be BuildFile; write kind: BuildFile",
                rejection("apiVersion: jib/v1alpha1\nkind: Build\n"));
    }

    @Test
    void rejectsUnknownAndDuplicateKeys() {
        assertEquals("jib.yaml:3: unknown key 'workdir' at the top level; the allowed keys are apiVersion, kind,"
                + " from, creationTime, format, environment, labels, volumes, exposedPorts, user, workingDirectory,"
                + " entrypoint, cmd, layers", rejection(HEAD + "workdir: /app\n"));
        assertEquals("jib.yaml:10: unknown key 'mode' in 'layers.entries[0].files[0].properties'; the allowed keys"
                + " are filePermissions, directoryPermissions, user, group, timestamp", rejection(HEAD + """
                layers:
                  entries:
                    - name: app
                      files:
                        - src: .
                          dest: /app
                          properties:
                            mode: "644"
                """));
        assertEquals("jib.yaml:5: unknown key 'arch' in 'from.platforms[0]'; the allowed keys are architecture, os,"
                + " variant", rejection(HEAD + "from:\n  image: ubuntu\n  platforms: [{arch: arm64, os: linux}]\n"));
        assertEquals("jib.yaml:5: duplicate key 'user' at the top level (first at line 3); keep only one",
                rejection(HEAD + "user: a\nformat: OCI\nuser: b\n"));
    }

    @Test
    void rejectsWrongTypes() {
        assertEquals("jib.yaml:3: 'environment' must be a mapping of names to values, but it is a list; write"
                + " NAME: value lines", rejection(HEAD + "environment:\n  - KEY=value\n"));
        assertEquals("jib.yaml:3: 'user' must be a single value, but it is a list; write one value, in quotes if it"
                + " contains ': ' or starts with '[', '{' or '- '", rejection(HEAD + "user: [app]\n"));
        assertEquals("jib.yaml:3: 'volumes' must be a list, but it is the single value '/data'; write it as a list:"
                + " [\"/data\"]", rejection(HEAD + "volumes: /data\n"));
        assertEquals("jib.yaml:3: 'from' must be a mapping with the keys image, platforms, but it is the single"
                + " value 'ubuntu'; write key: value lines", rejection(HEAD + "from: ubuntu\n"));
        assertEquals("jib.yaml:5: 'cmd[1]' must be a single value, but it is a mapping; write one value, in quotes if"
                + " it contains ': ' or starts with '[', '{' or '- '",
                rejection(HEAD + "cmd:\n  - serve\n  - --bind: 0\n"));
    }

    @Test
    void rejectsMissingOrEmptyValues() {
        assertEquals("jib.yaml:3: missing required key 'image' in 'from'; add image: <base image reference> (the"
                + " base-image input overrides it)", rejection(HEAD + "from:\n  platforms: []\n"));
        assertEquals("jib.yaml:3: 'user' has no value; give it one (\"\" for an empty string) or remove it",
                rejection(HEAD + "user:\n"));
        assertEquals("jib.yaml:3: 'user' is empty; give it a value or remove it", rejection(HEAD + "user: \"\"\n"));
        assertEquals("jib.yaml:4: 'environment.DEBUG' has no value; give it one (\"\" for an empty string) or remove"
                + " it", rejection(HEAD + "environment:\n  DEBUG:\n"));
        assertEquals("jib.yaml:4: 'layers.entries' is an empty list; add at least one entry",
                rejection(HEAD + "layers:\n  entries: []\n"));
        assertEquals("jib.yaml:3: missing required key 'entries' in 'layers'; add entries: with at least one layer,"
                + " or remove 'layers'", rejection(HEAD + "layers:\n  properties: {user: \"1\"}\n"));
        String noDest = HEAD + """
                layers:
                  entries:
                    - name: app
                      files:
                        - src: .
                """;
        assertEquals("jib.yaml:7: missing required key 'dest' in 'layers.entries[0].files[0]'; add dest: <absolute"
                + " path in the image>", rejection(noDest));
        assertEquals("jib.yaml:5: missing required key 'files' in 'layers.entries[0]'; add files: with at least one"
                + " src and dest", rejection(HEAD + "layers:\n  entries:\n    - name: app\n"));
    }

    @Test
    void rejectsRelativeImagePaths() {
        assertEquals("jib.yaml:8: 'layers.entries[0].files[0].dest' is 'app', but it must be an absolute path in"
                + " the image; start it with /", rejection(HEAD + """
                layers:
                  entries:
                    - name: app
                      files:
                        - src: .
                          dest: app
                """));
        assertEquals("jib.yaml:3: 'workingDirectory' is 'src', but it must be an absolute path in the image; start it"
                + " with /", rejection(HEAD + "workingDirectory: src\n"));
        assertEquals("jib.yaml:3: 'volumes[1]' is 'data', but it must be an absolute path in the image; start it"
                + " with /", rejection(HEAD + "volumes: [/media, data]\n"));
    }

    @Test
    void rejectsBadPermissionsAndTimes() {
        assertEquals("jib.yaml:5: 'layers.properties.filePermissions' is '0644', but it must be 3 octal digits"
                + " (owner, group, others); write e.g. \"644\" for files or \"755\" for directories",
                rejection(HEAD + "layers:\n  properties:\n    filePermissions: 0644\n"));
        assertEquals("jib.yaml:5: 'layers.properties.directoryPermissions' is 'rwxr-xr-x', but it must be 3 octal"
                + " digits (owner, group, others); write e.g. \"644\" for files or \"755\" for directories",
                rejection(HEAD + "layers:\n  properties:\n    directoryPermissions: rwxr-xr-x\n"));
        assertEquals("jib.yaml:5: 'layers.properties.timestamp' is '2020-06-08 14:54:36', but it must be"
                + " milliseconds since the epoch or an ISO 8601 date-time with an offset; write e.g. 1000 or"
                + " \"2024-01-31T12:00:00Z\"",
                rejection(HEAD + "layers:\n  properties:\n    timestamp: 2020-06-08 14:54:36\n"));
        assertEquals("jib.yaml:3: 'creationTime' is '2020-06-08T14:54:36', but it must be milliseconds since the"
                + " epoch or an ISO 8601 date-time with an offset; write e.g. 1000 or \"2024-01-31T12:00:00Z\"",
                rejection(HEAD + "creationTime: 2020-06-08T14:54:36\n"));
    }

    @Test
    void rejectsBadPorts() {
        for (String port : List.of("0", "65536", "8000/sctp", "8000:8000", "9000-8000", "http")) {
            assertEquals("jib.yaml:5: 'exposedPorts[1]' is '" + port + "', but it must be a port from 1 to 65535 or"
                    + " an ascending range such as 8000-8010, optionally followed by /tcp or /udp; write e.g."
                    + " \"8000\" or \"8000/udp\"", rejection(HEAD + "exposedPorts:\n  - 80\n  - \"" + port + "\"\n"));
        }
    }

    @Test
    void rejectsBadPlatforms() {
        String from = HEAD + "from:\n  image: ubuntu\n  platforms:\n";
        assertEquals("jib.yaml:6: 'from.platforms[0]' is the platform linux/x86_64, which is not supported; use one"
                + " of linux/386, linux/amd64, linux/arm/v6, linux/arm/v7, linux/arm64, linux/arm64/v8, linux/ppc64le,"
                + " linux/riscv64, linux/s390x (os/architecture[/variant])",
                rejection(from + "    - architecture: x86_64\n      os: linux\n"));
        assertEquals("jib.yaml:6: missing required key 'os' in 'from.platforms[0]'; add os: linux",
                rejection(from + "    - architecture: amd64\n"));
        assertEquals("jib.yaml:6: 'from.platforms[0]' must be a mapping with the keys architecture, os, variant, but"
                + " it is the single value 'linux/amd64'; write key: value lines",
                rejection(from + "    - linux/amd64\n"));
    }

    @Test
    void rejectsAFormatOtherThanDockerOrOci() {
        assertEquals("jib.yaml:3: 'format' is 'oci-v2', but it must be Docker or OCI; write format: Docker (or"
                + " format: OCI)", rejection(HEAD + "format: oci-v2\n"));
    }

    @Test
    void rejectsAnEntrypointStringThatHoldsSeveralWords() {
        assertEquals("jib.yaml:3: 'entrypoint' is the single value 'python3 -m gunicorn', which would run a program"
                + " named exactly that, spaces included; write it as a list: [\"python3\", \"-m\", \"gunicorn\"]",
                rejection(HEAD + "entrypoint: python3 -m gunicorn\n"));
    }

    @Test
    void rejectsTemplateParameters() {
        assertEquals("jib.yaml:4: 'from.image' contains '${BASE}:3.11', but template parameters (${...}) are not"
                + " supported; write the value itself into the build file, or set it with the action's inputs",
                rejection(HEAD + "from:\n  image: ${BASE}:3.11\n"));
        assertEquals("jib.yaml:4: 'environment.${NAME}' contains '${NAME}', but template parameters (${...}) are not"
                + " supported; write the value itself into the build file, or set it with the action's inputs",
                rejection(HEAD + "environment:\n  ${NAME}: x\n"));
    }
}
