package com.pyerp.deployaction.config;

import com.pyerp.deployaction.action.ActionException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** {@code --name=value} for every input, plus {@code --help} and {@code --version}. */
public record CommandLine(Map<Input, String> values, boolean help, boolean version) {

    public static CommandLine parse(String... arguments) {
        Map<Input, String> values = new EnumMap<>(Input.class);
        boolean help = false;
        boolean version = false;
        for (String argument : arguments) {
            switch (argument) {
                case "--help", "-h" -> help = true;
                case "--version" -> version = true;
                default -> {
                    int equals = argument.indexOf('=');
                    if (!argument.startsWith("--") || equals < 0) {
                        throw new ActionException("Invalid argument",
                                "'" + argument + "' is not of the form --name=value. Run with --help to list the inputs.");
                    }
                    String name = argument.substring(2, equals);
                    Input input = Input.byId(name).orElseThrow(() -> new ActionException("Unknown input",
                            "There is no input '" + name + "'" + closest(name).map(c -> " (did you mean --" + c + "?)").orElse("")
                                    + ". Run with --help to list the inputs."));
                    values.put(input, argument.substring(equals + 1));
                }
            }
        }
        return new CommandLine(Map.copyOf(values), help, version);
    }

    /** The usage text; every input with its description and default, as action.yml declares them. */
    public static String usage(ActionManifest manifest) {
        StringBuilder text = new StringBuilder();
        text.append(manifest.name()).append(": ").append(manifest.description()).append("\n\n")
                .append("Usage: java -jar pyerp-deploy-action.jar [--INPUT=VALUE ...]\n")
                .append("Outside GitHub Actions the git context comes from the working tree; outputs are printed as"
                        + " name=value.\n\nInputs:\n");
        for (ActionManifest.Parameter input : manifest.inputs()) {
            text.append("  --").append(input.name()).append("=VALUE\n");
            text.append(wrap(input.description(), "      "));
            if (!input.defaultValue().isEmpty()) {
                text.append("      default: ").append(input.defaultValue()).append('\n');
            }
        }
        text.append("\nOutputs:\n");
        for (ActionManifest.Parameter output : manifest.outputs()) {
            text.append("  ").append(output.name()).append('\n').append(wrap(output.description(), "      "));
        }
        return text.toString();
    }

    private static String wrap(String text, String indent) {
        StringBuilder wrapped = new StringBuilder();
        StringBuilder line = new StringBuilder(indent);
        for (String word : text.trim().split("\\s+")) {
            if (line.length() > indent.length() && line.length() + word.length() >= 100) {
                wrapped.append(line).append('\n');
                line = new StringBuilder(indent);
            }
            if (line.length() > indent.length()) {
                line.append(' ');
            }
            line.append(word);
        }
        return wrapped.append(line).append('\n').toString();
    }

    private static Optional<String> closest(String name) {
        return Arrays.stream(Input.values())
                .map(Input::id)
                .min(Comparator.comparingInt(id -> editDistance(id, name)))
                .filter(id -> editDistance(id, name) <= 3);
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] current = new int[b.length() + 1];
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            previous = current;
        }
        return previous[b.length()];
    }
}
