package com.pyerp.deployaction.debian;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A suite's {@code Release} file (the signed text of {@code InRelease}): what it is, until when it may be used,
 * and the SHA256 and size of every index below it.
 *
 * @param validUntil empty when the suite sets none (Debian's stable suites do not; security and updates do)
 * @param sha256 by path relative to the suite's directory, such as {@code main/binary-amd64/Packages.xz}
 */
public record ReleaseFile(String suite, String codename, Optional<Instant> date, Optional<Instant> validUntil,
        List<String> architectures, List<String> components, Map<String, IndexFile> sha256) {

    /** One index file the Release lists. */
    public record IndexFile(String path, long size, String sha256) {}

    /** Release files write the zone as a name ({@code UTC}) or an offset ({@code +0000}). */
    private static final DateTimeFormatter RFC_2822 = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss [z][xx]",
            Locale.ENGLISH);

    /** @throws IllegalArgumentException naming what cannot be read */
    public static ReleaseFile parse(String text) {
        List<ControlParagraph> paragraphs = ControlParagraph.parseAll(text);
        if (paragraphs.size() != 1) {
            throw new IllegalArgumentException("a Release file holds one paragraph, this one " + paragraphs.size());
        }
        ControlParagraph release = paragraphs.get(0);
        Map<String, IndexFile> files = new LinkedHashMap<>();
        for (String line : release.get("SHA256").split("\n")) {
            String[] words = line.strip().split("\\s+");
            if (words.length == 3 && words[0].matches("[0-9a-f]{64}") && words[1].matches("\\d{1,15}")) {
                files.put(words[2], new IndexFile(words[2], Long.parseLong(words[1]), words[0]));
            } else if (!line.isBlank()) {
                throw new IllegalArgumentException("the SHA256 line '" + line.strip() + "' is not 'hash size path'");
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("it lists no SHA256 hashes");
        }
        return new ReleaseFile(release.get("Suite"), release.get("Codename"), date(release, "Date"),
                date(release, "Valid-Until"), words(release.get("Architectures")), words(release.get("Components")),
                files);
    }

    private static Optional<Instant> date(ControlParagraph release, String field) {
        return release.find(field).map(value -> {
            try {
                return ZonedDateTime.parse(value, RFC_2822).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(field + " '" + value + "' is not a date such as"
                        + " 'Sat, 11 Jul 2026 09:36:06 UTC'");
            }
        });
    }

    private static List<String> words(String value) {
        return value.isBlank() ? List.of() : List.of(value.strip().split("\\s+"));
    }
}
