package com.pyerp.deployaction.scan;

import com.pyerp.deployaction.scan.osv.Finding;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Vulnerability ids to leave out, as {@code .trivyignore} files write them: one id per line, {@code #} comments,
 * and an optional {@code exp:YYYY-MM-DD} after the id, from which day on the entry no longer applies.
 */
public record IgnoreList(List<Entry> entries) {

    public record Entry(String id, Optional<LocalDate> expires) {}

    public static final IgnoreList NONE = new IgnoreList(List.of());

    /** @throws IllegalArgumentException naming the line, for a malformed expiry date */
    public static IgnoreList parse(String text) {
        List<Entry> entries = new ArrayList<>();
        int number = 0;
        for (String raw : text.split("\\r?\\n")) {
            number++;
            String line = raw.contains("#") ? raw.substring(0, raw.indexOf('#')) : raw;
            String[] words = line.trim().split("\\s+");
            if (words[0].isEmpty()) {
                continue;
            }
            Optional<LocalDate> expires = Optional.empty();
            for (int i = 1; i < words.length; i++) {
                if (words[i].startsWith("exp:")) {
                    try {
                        expires = Optional.of(LocalDate.parse(words[i].substring(4)));
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException("line " + number + ": '" + words[i]
                                + "' is not an expiry date; write exp:YYYY-MM-DD");
                    }
                }
            }
            entries.add(new Entry(words[0], expires));
        }
        return new IgnoreList(List.copyOf(entries));
    }

    /** Ids given inline, separated by commas or newlines. */
    public static IgnoreList ofIds(List<String> ids) {
        return new IgnoreList(ids.stream().map(id -> new Entry(id, Optional.<LocalDate>empty())).toList());
    }

    /** Whether any of the finding's ids is listed and not expired on {@code today}. */
    public boolean ignores(Finding finding, LocalDate today) {
        return entries.stream().anyMatch(entry -> finding.allIds().contains(entry.id())
                && entry.expires().map(today::isBefore).orElse(true));
    }

    public List<Entry> expired(LocalDate today) {
        return entries.stream().filter(entry -> entry.expires().map(date -> !today.isBefore(date)).orElse(false)).toList();
    }
}
