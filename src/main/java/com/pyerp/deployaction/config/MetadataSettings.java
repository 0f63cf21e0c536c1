package com.pyerp.deployaction.config;

import com.pyerp.deployaction.action.Csv;
import java.util.List;

/**
 * The metadata inputs, as metadata-action reads them: entries of CSV lines, rules still in their own syntax (the
 * metadata stage parses them), and the separators exactly as given.
 *
 * @param tags empty means the default rules
 * @param githubToken for the repository API; never printed
 */
public record MetadataSettings(List<String> images, List<String> tags, List<String> flavor, List<String> labels,
        List<String> annotations, Separators separators, String githubToken) {

    /** How the outputs join their items: taken as given, spaces included; empty means a newline. */
    public record Separators(String tags, String labels, String annotations) {}

    static MetadataSettings from(Inputs inputs) {
        return new MetadataSettings(
                Csv.entries(inputs.string(Input.IMAGES)),
                Csv.entries(inputs.string(Input.TAGS)),
                Csv.entries(inputs.string(Input.FLAVOR)),
                Csv.entries(inputs.string(Input.LABELS)),
                Csv.entries(inputs.string(Input.ANNOTATIONS)),
                new Separators(separator(inputs, Input.SEP_TAGS), separator(inputs, Input.SEP_LABELS),
                        separator(inputs, Input.SEP_ANNOTATIONS)),
                inputs.string(Input.GITHUB_TOKEN));
    }

    private static String separator(Inputs inputs, Input input) {
        String separator = inputs.untrimmed(input);
        return separator.isEmpty() ? "\n" : separator;
    }

    @Override
    public String toString() {
        return "MetadataSettings[images=" + images + ", tags=" + tags + "]";
    }
}
