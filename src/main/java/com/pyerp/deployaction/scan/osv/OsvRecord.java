package com.pyerp.deployaction.scan.osv;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The part of an OSV record (ossf/osv-schema) the scanner uses. {@code aliases} holds both {@code aliases} and
 * {@code upstream}, the ids that name the same vulnerability.
 */
public record OsvRecord(String id, String modified, String summary, String details, Set<String> aliases,
        List<Affected> affected, List<Score> severity, String databaseSeverity, boolean withdrawn, String url) {

    public record Affected(String ecosystem, String name, List<Range> ranges, List<String> versions, List<Score> severity,
            String ecosystemSeverity) {}

    /** {@code type} is SEMVER, ECOSYSTEM or GIT; the events in the record's order, which need not be sorted. */
    public record Range(String type, List<Event> events) {}

    /** {@code kind} is introduced, fixed, last_affected or limit. */
    public record Event(String kind, String version) {}

    /** {@code type} is CVSS_V2, CVSS_V3, CVSS_V4 or a word scheme such as Ubuntu; {@code score} a vector or a word. */
    public record Score(String type, String score) {}

    public static OsvRecord from(JsonNode json) {
        Set<String> aliases = new LinkedHashSet<>();
        json.path("aliases").forEach(alias -> aliases.add(alias.asText()));
        json.path("upstream").forEach(alias -> aliases.add(alias.asText()));
        List<Affected> affected = new ArrayList<>();
        for (JsonNode entry : json.path("affected")) {
            List<Range> ranges = new ArrayList<>();
            for (JsonNode range : entry.path("ranges")) {
                List<Event> events = new ArrayList<>();
                for (JsonNode event : range.path("events")) {
                    event.fieldNames().forEachRemaining(kind -> events.add(new Event(kind, event.get(kind).asText())));
                }
                ranges.add(new Range(range.path("type").asText(), List.copyOf(events)));
            }
            List<String> versions = new ArrayList<>();
            entry.path("versions").forEach(version -> versions.add(version.asText()));
            String ecosystemSeverity = entry.path("ecosystem_specific").path("severity").asText(
                    entry.path("database_specific").path("severity").asText(
                            entry.path("ecosystem_specific").path("urgency").asText("")));
            affected.add(new Affected(entry.path("package").path("ecosystem").asText(),
                    entry.path("package").path("name").asText(), List.copyOf(ranges), List.copyOf(versions),
                    scores(entry.path("severity")), ecosystemSeverity));
        }
        String url = "";
        for (JsonNode reference : json.path("references")) {
            if (url.isEmpty() || reference.path("type").asText().equals("ADVISORY")) {
                url = reference.path("url").asText();
            }
        }
        return new OsvRecord(json.path("id").asText(), json.path("modified").asText(), json.path("summary").asText(""),
                json.path("details").asText(""), Set.copyOf(aliases), List.copyOf(affected), scores(json.path("severity")),
                json.path("database_specific").path("severity").asText(""), json.hasNonNull("withdrawn"), url);
    }

    private static List<Score> scores(JsonNode array) {
        List<Score> scores = new ArrayList<>();
        array.forEach(score -> scores.add(new Score(score.path("type").asText(), score.path("score").asText())));
        return List.copyOf(scores);
    }

    /** The one-line title: the summary, else the first line of the details. */
    public String title() {
        if (!summary.isBlank()) {
            return summary.strip();
        }
        String first = details.strip().lines().findFirst().orElse("");
        return first.length() > 120 ? first.substring(0, 117) + "…" : first;
    }
}
