package com.pyerp.deployaction.action;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's inputs and outputs tables say exactly what action.yml says. */
class ReadmeContractTest {

    @Test
    void inputsTableMatchesActionYml() throws IOException {
        List<String> expected = new ArrayList<>();
        for (ActionManifest.Parameter input : manifest().inputs()) {
            String fallback = input.defaultValue().isEmpty() ? "" : "`" + input.defaultValue() + "`";
            expected.add("| `" + input.name() + "` | " + fallback + " | " + escape(input.description()) + " |");
        }
        assertEquals(String.join("\n", expected), String.join("\n", tableRows("## Inputs")));
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
