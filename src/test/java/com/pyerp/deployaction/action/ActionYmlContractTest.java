package com.pyerp.deployaction.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pyerp.deployaction.config.ActionManifest;
import com.pyerp.deployaction.config.Input;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** action.yml and the jar must declare the same inputs and outputs, and the composite step must pass them all. */
class ActionYmlContractTest {

    private static final Path ACTION_YML = Path.of("action.yml");

    @Test
    void declaresExactlyTheInputsTheJarReads() throws IOException {
        assertEquals(ids(Input.values()), names(manifest().inputs()));
    }

    @Test
    void declaresExactlyTheOutputsTheJarSets() throws IOException {
        assertEquals(ids(Output.values()), names(manifest().outputs()));
    }

    @Test
    void theJarsDefaultsAreActionYmls() throws IOException {
        for (ActionManifest.Parameter declared : manifest().inputs()) {
            assertEquals(declared.defaultValue(), Input.byId(declared.name()).orElseThrow().defaultValue(), declared.name());
        }
    }

    @Test
    void everyInputHasADescriptionAndADefault() throws IOException {
        Map<String, Map<String, Object>> inputs = section("inputs");
        inputs.forEach((name, body) -> {
            assertFalse(String.valueOf(body.get("description")).isBlank(), name + " needs a description");
            assertTrue(body.containsKey("default"), name + " needs a default");
        });
    }

    @Test
    void compositeStepPassesEveryInputAsTheRunnerNamesIt() throws IOException {
        Map<String, Object> env = runStep().get("env") instanceof Map<?, ?> m ? cast(m) : Map.of();
        for (Input input : Input.values()) {
            assertEquals("${{ inputs." + input.id() + " }}", env.get(input.environmentName()),
                    "env " + input.environmentName());
        }
        assertEquals(Input.values().length + 1, env.size(), "only the inputs and PYERP_JAVA are passed");
        assertTrue(String.valueOf(runStep().get("run")).contains("-jar \"$GITHUB_ACTION_PATH/dist/pyerp-deploy-action.jar\""));
    }

    @Test
    void theBenchmarksRunTheJvmAsActionYmlDoes() throws IOException {
        String run = String.valueOf(runStep().get("run"));
        String always = "-XX:+UseSerialGC -Xmx384m";
        String withoutBuild = "-XX:TieredStopAtLevel=1";
        assertTrue(run.contains("jvm=(" + always + ")"), run);
        assertTrue(run.contains("false|no) jvm+=(" + withoutBuild + ")"), run);
        assertTrue(Files.readString(Path.of("scripts/bench/metadata"))
                .contains("metadata_only_jvm=\"" + always + " " + withoutBuild + "\""));
        for (String bench : List.of("scripts/bench/build-push", "scripts/bench/deploy")) {
            String script = Files.readString(Path.of(bench));
            assertTrue(script.contains("build_jvm=\"" + always + "\"") && script.contains("java $build_jvm "), bench);
        }
    }

    @Test
    void everyOutputComesFromTheRunStep() throws IOException {
        section("outputs").forEach((name, body) ->
                assertEquals("${{ steps.run.outputs." + name + " }}", body.get("value"), name));
    }

    @Test
    void findsJava17BeforeFallingBackToSetupJava() throws IOException {
        Map<String, Object> runs = cast(load().get("runs"));
        List<Map<String, Object>> steps = cast(runs.get("steps"));
        String find = String.valueOf(steps.get(0).get("run"));
        assertTrue(find.indexOf("JAVA_HOME_17_X64") < find.indexOf("JAVA_HOME_21_X64"));
        assertTrue(find.contains("command -v java"));
        assertEquals("actions/setup-java@v4", steps.get(1).get("uses"));
        assertEquals("steps.java.outputs.java == ''", steps.get(1).get("if"));
    }

    @Test
    void theJarCarriesTheSameActionYml() throws IOException {
        try (InputStream packed = ActionManifest.class.getResourceAsStream(ActionManifest.RESOURCE)) {
            assertEquals(Files.readString(ACTION_YML), new String(packed.readAllBytes()));
        }
    }

    private static ActionManifest manifest() throws IOException {
        try (InputStream in = Files.newInputStream(ACTION_YML)) {
            return ActionManifest.parse(in);
        }
    }

    private static Set<String> ids(Enum<?>[] values) {
        return Arrays.stream(values).map(v -> v instanceof Input i ? i.id() : ((Output) v).id())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> names(List<ActionManifest.Parameter> parameters) {
        return parameters.stream().map(ActionManifest.Parameter::name).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<String, Object> runStep() throws IOException {
        Map<String, Object> runs = cast(load().get("runs"));
        List<Map<String, Object>> steps = cast(runs.get("steps"));
        return steps.stream().filter(step -> "run".equals(step.get("id"))).findFirst().orElseThrow();
    }

    private static Map<String, Map<String, Object>> section(String name) throws IOException {
        return cast(load().get(name));
    }

    private static Map<String, Object> load() throws IOException {
        return new Yaml().load(Files.readString(ACTION_YML));
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }
}
