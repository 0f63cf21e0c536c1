package com.pyerp.deployaction.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.Main;
import com.pyerp.deployaction.action.RunnerFileCommands;
import com.pyerp.deployaction.testing.Processes;
import com.pyerp.deployaction.testing.RunnerEnv;
import com.pyerp.deployaction.testing.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * US-D101 and US-D102 with one mechanism: the build environment (the base plus the development set, no
 * application layer) compiles a C extension against libmariadb in docker, as a workflow's {@code container:} job
 * would, and the production image (the base plus the run-time library only) imports it. Both images come from the
 * same base, so the extension fits the runtime's glibc and Python exactly.
 */
class BuildEnvironmentIT {

    /** A CPython extension that calls into libmariadb, so that it loads only where the library is. */
    private static final String EXTENSION = String.join("\n",
            "#include <Python.h>",
            "#include <mysql.h>",
            "static PyObject *client(PyObject *self, PyObject *args) {",
            "    return PyUnicode_FromString(mysql_get_client_info());",
            "}",
            "static PyMethodDef methods[] = {{\"client\", client, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};",
            "static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, \"mariadbinfo\", NULL, -1, methods};",
            "PyMODINIT_FUNC PyInit_mariadbinfo(void) { return PyModule_Create(&module); }",
            "");

    @TempDir
    Path workspace;

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @Test
    void theBuildEnvironmentCompilesAnExtensionThatTheRuntimeImageImports() throws Exception {
        TestServices services = TestServices.require("REGISTRY", "DEBIAN_MIRROR");
        String id = UUID.randomUUID().toString().substring(0, 8);
        String environment = run(services, "it/build-env-" + id, "INPUT_SYSTEM-PACKAGES", String.join(" ",
                MirrorFixture.DEVELOPMENT), "INPUT_USER", "0:0").get("image");

        Path source = Files.createDirectories(workspace.resolve("ext"));
        Files.writeString(source.resolve("mariadbinfo.c"), EXTENSION);
        Files.createDirectories(workspace.resolve("build/ext"));
        assertEquals(0, docker("pull", environment).exitCode());
        Processes.Result compiled = docker("run", "--rm", "--network", "host", "-v", workspace + ":/work", "-w", "/work",
                "--entrypoint", "sh", environment, "-c", "gcc -shared -fPIC -O2 $(python3-config --includes)"
                        + " $(mariadb_config --cflags) ext/mariadbinfo.c $(mariadb_config --libs)"
                        + " -o build/ext/mariadbinfo$(python3-config --extension-suffix) && chown -R "
                        + uid() + " build");
        assertEquals(0, compiled.exitCode(), compiled.output());

        log.reset();
        String runtime = run(services, "it/runtime-" + id, "INPUT_SYSTEM-PACKAGES", "libmariadb3",
                "INPUT_LAYERS", "build/ext:/app/ext", "INPUT_ENTRYPOINT", "[\"python3\", \"-c\", \"import sys;"
                        + " sys.path.insert(0, '/app/ext'); import mariadbinfo; print('client', mariadbinfo.client())\"]")
                .get("image");
        assertEquals(0, docker("pull", runtime).exitCode());
        Processes.Result imported = docker("run", "--rm", "--network", "host", runtime);
        assertTrue(imported.exitCode() == 0 && imported.output().startsWith("client 3."), imported.output());
        Processes.Result noCompiler = docker("run", "--rm", "--network", "host", "--entrypoint", "sh", runtime, "-c",
                "command -v gcc || echo none");
        assertEquals("none\n", noCompiler.output(), "the production image has no compiler");
        docker("rmi", "-f", environment, runtime);
    }

    private Map<String, String> run(TestServices services, String repository, String... inputs) throws IOException {
        String mirror = services.debianMirrorUrl().toString().replaceAll("/$", "");
        Map<String, String> env = RunnerEnv.buildToTestRegistry(workspace, services, repository, "[\"python3\"]");
        env.remove("INPUT_LAYERS");
        RunnerEnv.with(env, "INPUT_BASE-IMAGE", services.pythonBaseImage(), "INPUT_SYSTEM-PACKAGES-SOURCES",
                String.join("\n", "deb " + mirror + "/debian bookworm main",
                        "deb " + mirror + "/debian bookworm-updates main",
                        "deb " + mirror + "/debian-security bookworm-security main"));
        RunnerEnv.with(env, inputs);
        PrintStream print = new PrintStream(log, true, StandardCharsets.UTF_8);
        int exit = Main.run(new String[0], env, print, print, workspace);
        assertEquals(0, exit, log.toString(StandardCharsets.UTF_8));
        return RunnerFileCommands.parse(Files.readString(Path.of(env.get("GITHUB_OUTPUT"))));
    }

    private static String uid() throws IOException, InterruptedException {
        return Processes.run("id", "-u").output().strip() + ":" + Processes.run("id", "-g").output().strip();
    }

    private static Processes.Result docker(String... arguments) throws IOException, InterruptedException {
        String[] command = new String[arguments.length + 1];
        command[0] = "docker";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        return Processes.run(command);
    }
}
