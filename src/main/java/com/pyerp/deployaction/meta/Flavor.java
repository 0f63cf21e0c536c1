package com.pyerp.deployaction.meta;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.Csv;
import java.util.List;
import java.util.Locale;

/** The {@code flavor} input: how {@code latest} is decided, and a global prefix and suffix. */
public record Flavor(String latest, String prefix, boolean prefixOnLatest, String suffix, boolean suffixOnLatest) {

    public static final Flavor DEFAULT = new Flavor("auto", "", false, "", false);

    public static Flavor parse(List<String> entries) {
        String latest = "auto";
        String prefix = "";
        String suffix = "";
        boolean prefixOnLatest = false;
        boolean suffixOnLatest = false;
        for (String entry : entries) {
            String onLatestFor = "";
            for (String field : fields(entry)) {
                String[] parts = field.split("=", -1);
                if (parts.length == 1) {
                    throw invalid(entry, "'" + field + "' is not key=value");
                }
                String key = parts[0].trim().toLowerCase(Locale.ROOT);
                String value = parts[1].trim();
                switch (key) {
                    case "latest" -> {
                        if (!List.of("auto", "true", "false").contains(value)) {
                            throw invalid(entry, "latest must be auto, true or false");
                        }
                        latest = value;
                    }
                    case "prefix" -> {
                        prefix = value;
                        onLatestFor = "prefix";
                    }
                    case "suffix" -> {
                        suffix = value;
                        onLatestFor = "suffix";
                    }
                    case "onlatest" -> {
                        if (!List.of("true", "false").contains(value)) {
                            throw invalid(entry, "onlatest must be true or false");
                        }
                        if (onLatestFor.equals("prefix")) {
                            prefixOnLatest = value.equals("true");
                        } else if (onLatestFor.equals("suffix")) {
                            suffixOnLatest = value.equals("true");
                        }
                    }
                    default -> throw invalid(entry, "'" + key + "' is not a flavor key (latest, prefix, suffix, onlatest)");
                }
            }
        }
        return new Flavor(latest, prefix, prefixOnLatest, suffix, suffixOnLatest);
    }

    /** {@code latest} as flavored: the prefix and suffix only when their {@code onlatest=true}. */
    public String latestTag() {
        return (prefixOnLatest ? prefix : "") + "latest" + (suffixOnLatest ? suffix : "");
    }

    private static List<String> fields(String entry) {
        return Csv.strictFields(entry, problem -> invalid(entry, problem));
    }

    private static ActionException invalid(String entry, String problem) {
        return new ActionException("Invalid input: flavor", "The flavor entry '" + entry + "' is invalid: " + problem + ".");
    }
}
