package com.pyerp.deployaction.meta;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.meta.js.JsRegex;
import com.pyerp.deployaction.meta.js.LabelKeyOrder;
import com.pyerp.deployaction.meta.js.Pep440;
import com.pyerp.deployaction.meta.js.SemVer;
import com.pyerp.deployaction.meta.js.Template;
import com.pyerp.deployaction.registry.ImageName;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One computation of {@link Metadata}: every enabled tag rule applied in turn, as metadata-action applies them. */
final class TagCalculation {

    private static final Pattern SLASH_DELIMITED_REGEX = Pattern.compile("^/(.+)/(.*)$");
    private static final Template VERSION_ONLY = Template.parse("{{version}}");
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Metadata.Rules rules;
    private final MetaContext context;
    private final RepositoryInfo repository;
    private final Expressions expressions;
    private final List<String> warnings = new ArrayList<>();
    private final List<String> partial = new ArrayList<>();
    private String main;
    private Boolean latest;
    private String emptiedBy;

    TagCalculation(Metadata.Rules rules, MetaContext context, RepositoryInfo repository) {
        this.rules = rules;
        this.context = context;
        this.repository = repository;
        this.expressions = new Expressions(context);
    }

    Metadata run() {
        for (TagRule rule : rules.tags()) {
            rule.unknownAttributes().forEach(name -> warnings.add("Tag rule '" + rule.source()
                    + "' has an attribute '" + name + "' that its type does not use; it is ignored."));
            String enabled = render(rule.attribute("enable"), rule);
            if (!enabled.equals("true") && !enabled.equals("false")) {
                throw invalid(rule, "enable= evaluates to '" + enabled + "', not true or false");
            }
            if (enabled.equals("true")) {
                apply(rule);
            }
        }
        if (main == null && emptiedBy != null) {
            throw invalid(rules.tags().stream().filter(r -> r.source().equals(emptiedBy)).findFirst().orElseThrow(),
                    "it produced no valid tag (a tag must match [A-Za-z0-9_][A-Za-z0-9._-]{0,127}) and no other"
                            + " rule produced one");
        }
        List<String> tagNames = main == null ? List.of() : tagsFor("");
        List<String> tags = new ArrayList<>();
        List<ImageName> enabledImages = rules.images().stream().filter(ImageName::enabled).toList();
        if (main != null && enabledImages.isEmpty()) {
            tags.addAll(tagNames);
        }
        if (main != null) {
            enabledImages.forEach(image -> tags.addAll(tagsFor(image.name() + ":")));
        }
        List<String> labels = annotated(rules.labels());
        List<String> annotations = new ArrayList<>();
        List<String> rawAnnotations = annotated(rules.annotations());
        for (String level : rules.annotationLevels()) {
            rawAnnotations.forEach(annotation -> annotations.add(level + ":" + annotation));
        }
        return new Metadata(main == null ? "" : main, List.copyOf(tags), tagNames, labels,
                List.copyOf(annotations), List.copyOf(warnings), context.commitDate());
    }

    private void apply(TagRule rule) {
        switch (rule.type()) {
            case SCHEDULE -> schedule(rule);
            case SEMVER -> semver(rule);
            case PEP440 -> pep440(rule);
            case MATCH -> match(rule);
            case EDGE -> edge(rule);
            case REF -> ref(rule);
            case RAW -> add(rule, flavored(render(rule.attribute("value"), rule), rule), false);
            case SHA -> {
                if (!context.sha().isEmpty()) {
                    String sha = rule.attribute("format").equals("short") ? context.shortSha() : context.sha();
                    add(rule, flavored(sha, rule), false);
                }
            }
        }
    }

    private void schedule(TagRule rule) {
        if (!context.eventName().contains("schedule")) {
            return;
        }
        String value = template(rule, rule.attribute("pattern"))
                .render((name, params, hash) -> Expressions.dates(context, name, params, hash));
        add(rule, flavored(value, rule), false);
    }

    private void semver(TagRule rule) {
        String raw = versionSource(rule);
        if (raw == null) {
            return;
        }
        Optional<SemVer> parsed = SemVer.parse(raw);
        if (parsed.isEmpty()) {
            warnings.add(raw + " is not a valid semver. More info: https://semver.org/");
            return;
        }
        SemVer version = parsed.get();
        boolean release = !version.isPrerelease();
        Template applied = release || isOnlyRaw(rule) ? template(rule, rule.attribute("pattern")) : VERSION_ONLY;
        String value = applied.render((name, params, hash) -> Optional.ofNullable(switch (name) {
            case "raw" -> version.raw();
            case "version" -> version.version();
            case "major" -> Long.toString(version.major());
            case "minor" -> Long.toString(version.minor());
            case "patch" -> Long.toString(version.patch());
            case "prerelease" -> String.join(",", version.prerelease());
            case "build" -> String.join(",", version.build());
            default -> null;
        }));
        add(rule, flavored(value, rule), release);
    }

    private void pep440(TagRule rule) {
        String raw = versionSource(rule);
        if (raw == null) {
            return;
        }
        Optional<Pep440> parsed = Pep440.parse(raw);
        if (parsed.isEmpty()) {
            warnings.add(raw + " does not conform to PEP 440. More info: https://www.python.org/dev/peps/pep-0440");
            return;
        }
        Pep440 version = parsed.get();
        boolean release = !version.isPrerelease() && !version.isPostrelease() && !version.isDevrelease();
        String value;
        if (release) {
            value = template(rule, rule.attribute("pattern")).render((name, params, hash) -> Optional.ofNullable(switch (name) {
                case "raw" -> raw;
                case "version" -> version.clean();
                case "major" -> version.major();
                case "minor" -> version.minor();
                case "patch" -> version.patch();
                default -> null;
            }));
        } else {
            value = isOnlyRaw(rule) ? raw : version.clean();
        }
        add(rule, flavored(value, rule), release);
    }

    /** The version text for semver/pep440 rules: {@code value=} or the git tag, narrowed by {@code match=}. */
    private String versionSource(TagRule rule) {
        String raw = source(rule);
        if (raw == null) {
            return null;
        }
        String match = rule.attribute("match");
        if (!match.isEmpty()) {
            Matcher matcher = compile(match, "", rule).matcher(raw);
            if (!matcher.find()) {
                warnings.add(match + " does not match " + raw + ".");
            } else {
                raw = matcher.groupCount() >= 1 && matcher.group(1) != null ? matcher.group(1) : "";
            }
        }
        return raw.replace('/', '-');
    }

    /** {@code value=} (expressions applied) or, on a tag ref, the tag; null when neither applies. */
    private String source(TagRule rule) {
        String value = rule.attribute("value");
        if (!value.isEmpty()) {
            return render(value, rule);
        }
        return context.ref().startsWith("refs/tags/") ? context.tag() : null;
    }

    private void match(TagRule rule) {
        String raw = source(rule);
        if (raw == null) {
            return;
        }
        String pattern = rule.attribute("pattern");
        Matcher slashes = SLASH_DELIMITED_REGEX.matcher(pattern);
        Matcher matcher = (slashes.matches() ? compile(slashes.group(1), slashes.group(2), rule)
                : compile(pattern, "", rule)).matcher(raw);
        if (!matcher.find()) {
            warnings.add(pattern + " does not match " + raw + ".");
            return;
        }
        int group = Integer.parseInt(rule.attribute("group"));
        if (group > matcher.groupCount() || matcher.group(group) == null) {
            warnings.add("Group " + group + " does not exist for " + pattern + " pattern.");
            return;
        }
        add(rule, flavored(matcher.group(group), rule), true);
    }

    private void edge(TagRule rule) {
        if (!context.ref().startsWith("refs/heads/")) {
            return;
        }
        String branch = rule.attribute("branch").isEmpty() ? repository.defaultBranch() : rule.attribute("branch");
        if (context.branch().equals(branch)) {
            add(rule, flavored("edge", rule), false);
        }
    }

    private void ref(TagRule rule) {
        String ref = context.ref();
        switch (rule.attribute("event")) {
            case "branch" -> {
                if (ref.startsWith("refs/heads/")) {
                    add(rule, flavored(context.branch(), rule), false);
                }
            }
            case "tag" -> {
                if (ref.startsWith("refs/tags/")) {
                    add(rule, flavored(context.tag(), rule), true);
                }
            }
            default -> {
                if (ref.startsWith("refs/pull/")) {
                    add(rule, flavored(ref.substring("refs/pull/".length()).replaceFirst("/merge$", ""), rule), false);
                }
            }
        }
    }

    /** The rule's own prefix and suffix, or else the flavor's. */
    private String flavored(String value, TagRule rule) {
        Flavor flavor = rules.flavor();
        String prefix = rule.has("prefix") ? rule.attribute("prefix") : flavor.prefix();
        String suffix = rule.has("suffix") ? rule.attribute("suffix") : flavor.suffix();
        return render(prefix, rule) + value + render(suffix, rule);
    }

    /**
     * Records one tag value. The first becomes the version; {@code latest} is decided by the first value:
     * {@code auto} takes the rule's own answer, {@code true}/{@code false} force it.
     */
    private void add(TagRule rule, String value, boolean latestWhenAuto) {
        if (value.isEmpty()) {
            return;
        }
        String tag = Metadata.validTag(value);
        if (tag.isEmpty()) {
            warnings.add("Tag rule '" + rule.source() + "' produced '" + value + "', which cannot be made a valid tag;"
                    + " it is left out.");
            emptiedBy = emptiedBy == null ? rule.source() : emptiedBy;
            return;
        }
        String sanitized = Metadata.INVALID_TAG_CHARACTERS.matcher(value).replaceAll("-");
        if (!tag.equals(sanitized)) {
            warnings.add("Tag '" + sanitized + "' from rule '" + rule.source() + "' is not a valid tag; it is"
                    + " published as '" + tag + "'.");
        }
        if (main == null) {
            main = tag;
        } else if (!tag.equals(main) && !partial.contains(tag)) {
            partial.add(tag);
        }
        if (latest == null) {
            String forced = rules.flavor().latest();
            latest = forced.equals("auto") ? latestWhenAuto : forced.equals("true");
        }
    }

    private List<String> tagsFor(String imagePrefix) {
        List<String> tags = new ArrayList<>();
        tags.add(imagePrefix + main);
        partial.forEach(tag -> tags.add(imagePrefix + tag));
        if (Boolean.TRUE.equals(latest)) {
            tags.add(imagePrefix + Metadata.validTag(rules.flavor().latestTag()));
        }
        return List.copyOf(tags);
    }

    /** The eight OCI keys, then the user's entries (expressions applied); the last value of a key wins. */
    private List<String> annotated(List<String> extra) {
        List<String> entries = new ArrayList<>(List.of(
                "org.opencontainers.image.title=" + repository.name(),
                "org.opencontainers.image.description=" + repository.description(),
                "org.opencontainers.image.url=" + repository.htmlUrl(),
                "org.opencontainers.image.source=" + repository.htmlUrl(),
                "org.opencontainers.image.version=" + (main == null ? "" : main),
                "org.opencontainers.image.created=" + (context.commitDate() == null ? ""
                        : ISO_MILLIS.format(context.commitDate())),
                "org.opencontainers.image.revision=" + context.sha(),
                "org.opencontainers.image.licenses=" + repository.license()));
        for (String entry : extra) {
            entries.add(expressionsIn(entry));
        }
        Map<String, String> byKey = new LinkedHashMap<>();
        for (String entry : entries) {
            int equals = entry.indexOf('=');
            if (equals >= 0) {
                byKey.put(entry.substring(0, equals), entry.substring(equals + 1));
            }
        }
        return byKey.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(LabelKeyOrder.INSTANCE))
                .map(entry -> entry.getKey() + "=" + entry.getValue())
                .toList();
    }

    private String expressionsIn(String text) {
        try {
            return expressions.render(text);
        } catch (IllegalArgumentException e) {
            throw new ActionException("Invalid expression", "'" + text + "': " + e.getMessage());
        }
    }

    private String render(String text, TagRule rule) {
        try {
            return expressions.render(text);
        } catch (IllegalArgumentException e) {
            throw invalid(rule, e.getMessage());
        }
    }

    private Template template(TagRule rule, String text) {
        try {
            return Template.parse(text);
        } catch (IllegalArgumentException e) {
            throw invalid(rule, e.getMessage());
        }
    }

    /** metadata-action's isRawStatement: a pattern that does not parse is not {@code {{raw}}}. */
    private static boolean isOnlyRaw(TagRule rule) {
        try {
            return Template.parse(rule.attribute("pattern")).isOnly("raw");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Pattern compile(String regex, String flags, TagRule rule) {
        try {
            return JsRegex.compile(regex, flags);
        } catch (IllegalArgumentException e) {
            throw invalid(rule, "the pattern '" + regex + "' is not a valid regular expression (" + e.getMessage() + ")");
        }
    }

    private static ActionException invalid(TagRule rule, String problem) {
        return new ActionException("Invalid input: tags", "The tag rule '" + rule.source() + "' is invalid: "
                + problem + ".");
    }
}
