package com.pyerp.deployaction.results;

import java.util.Locale;
import java.util.Optional;

/** Severity levels, lowest first. UNKNOWN sorts below LOW, so no threshold counts it. */
public enum Severity {
    UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL;

    /** CVSS qualitative rating of a base score (none counts as low). */
    public static Severity ofScore(double score) {
        return score >= 9.0 ? CRITICAL : score >= 7.0 ? HIGH : score >= 4.0 ? MEDIUM : LOW;
    }

    /** A record's own word: GitHub's LOW/MODERATE/HIGH/CRITICAL, Debian's urgency, Ubuntu's priority. */
    public static Optional<Severity> ofWord(String word) {
        return switch (word.trim().toLowerCase(Locale.ROOT).replace(" ", "")) {
            case "critical" -> Optional.of(CRITICAL);
            case "high", "important" -> Optional.of(HIGH);
            case "moderate", "medium" -> Optional.of(MEDIUM);
            case "low", "negligible", "unimportant" -> Optional.of(LOW);
            default -> Optional.empty();
        };
    }

    /** The score GitHub code scanning ranks by, when no CVSS score is known. */
    public double representativeScore() {
        return switch (this) {
            case CRITICAL -> 9.5;
            case HIGH -> 8.0;
            case MEDIUM -> 5.5;
            case LOW -> 2.0;
            case UNKNOWN -> 0.0;
        };
    }
}
