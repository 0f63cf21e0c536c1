package com.pyerp.deployaction.registry;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.Csv;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** One entry of the {@code images} input: a repository name, lower-cased, and whether it is enabled. */
public record ImageName(String name, boolean enabled) {

    // The distribution reference grammar (docker/distribution reference/regexp.go), without tag or digest.
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*"
            + "|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?";
    private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final Pattern REPOSITORY =
            Pattern.compile("(?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*");
    private static final int MAX_NAME_LENGTH = 255;

    /**
     * Parses the entries as metadata-action does: a single line without {@code key=value} fields is a
     * comma-separated list of names; otherwise each line is {@code name=…[,enable=true|false]} or a bare name.
     */
    public static List<ImageName> parse(List<String> entries) {
        List<ImageName> images = new ArrayList<>();
        if (entries.size() == 1 && fields(entries.get(0)).stream().noneMatch(field -> field.contains("="))) {
            for (String field : fields(entries.get(0))) {
                images.add(checked(field.trim(), true, entries.get(0)));
            }
            return List.copyOf(images);
        }
        for (String entry : entries) {
            String name = "";
            boolean enabled = true;
            for (String field : fields(entry)) {
                String[] parts = field.split("=", -1);
                if (parts.length == 1) {
                    name = parts[0].trim();
                    continue;
                }
                String value = parts[1].trim();
                switch (parts[0].trim().toLowerCase(Locale.ROOT)) {
                    case "name" -> name = value;
                    case "enable" -> {
                        if (!value.equals("true") && !value.equals("false")) {
                            throw invalid(entry, "enable must be true or false");
                        }
                        enabled = value.equals("true");
                    }
                    default -> throw invalid(entry, "'" + parts[0].trim() + "' is not an image attribute (name, enable)");
                }
            }
            images.add(checked(name, enabled, entry));
        }
        return List.copyOf(images);
    }

    private static ImageName checked(String name, boolean enabled, String entry) {
        if (name.isEmpty()) {
            throw invalid(entry, "the image name is empty");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.length() > MAX_NAME_LENGTH || !REPOSITORY.matcher(lower).matches()) {
            throw invalid(entry, "'" + name + "' is not a valid image name; use registry/owner/name, for example"
                    + " ghcr.io/owner/app, without a tag or digest");
        }
        return new ImageName(lower, enabled);
    }

    private static List<String> fields(String entry) {
        return Csv.strictFields(entry, problem -> invalid(entry, problem));
    }

    private static ActionException invalid(String entry, String problem) {
        return new ActionException("Invalid input: images", "The images entry '" + entry + "' is invalid: " + problem + ".");
    }
}
