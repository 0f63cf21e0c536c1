package com.pyerp.deployaction.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.pyerp.deployaction.config.ActionManifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's inputs and outputs tables say exactly what action.yml says. */
class ReadmeContractTest {

    private static final Pattern GROUP = Pattern.compile("  # @group (.+)");
    private static final Pattern INPUT = Pattern.compile("  ([a-z][a-z0-9-]*):");

    /** One table per {@code # @group NAME} line of action.yml, under {@code ### NAME}, in action.yml's order. */
    @Test
    void inputsTablesMatchActionYmlGroupByGroup() throws IOException {
        Map<String, ActionManifest.Parameter> inputs = new LinkedHashMap<>();
        manifest().inputs().forEach(input -> inputs.put(input.name(), input));
        Map<String, List<String>> groups = groups();
        assertEquals(List.copyOf(inputs.keySet()), groups.values().stream().flatMap(List::stream).toList(),
                "every input in one group, in action.yml's order");
        for (Map.Entry<String, List<String>> group : groups.entrySet()) {
            List<String> expected = new ArrayList<>();
            for (String name : group.getValue()) {
                ActionManifest.Parameter input = inputs.get(name);
                String fallback = input.defaultValue().isEmpty() ? "" : "`" + input.defaultValue() + "`";
                expected.add("| `" + input.name() + "` | " + fallback + " | " + escape(input.description()) + " |");
            }
            assertEquals(String.join("\n", expected), String.join("\n", tableRows("### " + group.getKey())),
                    group.getKey() + " (scripts/sync-readme rewrites these tables)");
        }
    }

    private static Map<String, List<String>> groups() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("action.yml"));
        Map<String, List<String>> groups = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : lines.subList(lines.indexOf("inputs:") + 1, lines.indexOf("outputs:"))) {
            Matcher marker = GROUP.matcher(line);
            Matcher name = INPUT.matcher(line);
            if (marker.matches()) {
                current = new ArrayList<>();
                groups.put(marker.group(1), current);
            } else if (name.matches()) {
                assertNotNull(current, "the input " + name.group(1) + " comes before any # @group line");
                current.add(name.group(1));
            }
        }
        return groups;
    }

    @Test
    void outputsTableMatchesActionYml() throws IOException {
        List<String> expected = new ArrayList<>();
        for (ActionManifest.Parameter output : manifest().outputs()) {
            expected.add("| `" + output.name() + "` | " + escape(output.description()) + " |");
        }
        assertEquals(String.join("\n", expected), String.join("\n", tableRows("## Outputs")));
    }

    private static String escape(String text) {
        return text.replace("|", "\\|");
    }

    /** The body rows of the first table after {@code heading}. */
    private static List<String> tableRows(String heading) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        int start = lines.indexOf(heading);
        List<String> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("|")) {
                inTable = true;
                rows.add(line);
            } else if (inTable) {
                break;
            }
        }
        return rows.subList(2, rows.size());
    }

    private static ActionManifest manifest() throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("action.yml"))) {
            return ActionManifest.parse(in);
        }
    }
}
