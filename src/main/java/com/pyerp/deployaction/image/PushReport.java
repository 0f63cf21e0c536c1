package com.pyerp.deployaction.image;

import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a push sent and what the registry already had, read from Jib's events: every blob Jib handles gets a
 * "pushing blob" progress allocation sized in bytes, and the ones the registry already holds are logged as
 * "Skipping push/pull; BLOB already exists". Jib's event texts are not an API: {@code BuildStageIT} checks them.
 */
final class PushReport {

    private static final Pattern PUSHING = Pattern.compile("pushing blob (sha256:[0-9a-f]{64})");
    private static final Pattern EXISTS =
            Pattern.compile("BLOB already exists on target registry : digest: (sha256:[0-9a-f]{64}), size: (\\d+)");
    private static final Pattern BUILT = Pattern.compile("Building (.*) layer built (sha256:[0-9a-f]{64})");

    /** One blob of the image: a layer (named when it is one of ours) or the container configuration. */
    record Blob(String digest, String name, long bytes, boolean reused) {}

    private final Map<String, Long> handled = new ConcurrentHashMap<>();
    private final Map<String, Long> existing = new ConcurrentHashMap<>();
    private final Map<String, String> names = new ConcurrentHashMap<>();

    void on(ProgressEvent event) {
        Matcher matcher = PUSHING.matcher(event.getAllocation().getDescription());
        if (matcher.find()) {
            handled.put(matcher.group(1), event.getAllocation().getAllocationUnits());
        }
    }

    void on(LogEvent event) {
        Matcher exists = EXISTS.matcher(event.getMessage());
        if (exists.find()) {
            existing.put(exists.group(1), Long.parseLong(exists.group(2)));
        }
        Matcher built = BUILT.matcher(event.getMessage());
        if (built.find()) {
            names.put(built.group(2), built.group(1).strip());
        }
    }

    /** Every blob, biggest first. */
    List<Blob> blobs() {
        Map<String, Long> all = new LinkedHashMap<>(handled);
        existing.forEach(all::putIfAbsent);
        List<Blob> blobs = new ArrayList<>();
        all.forEach((digest, bytes) -> blobs.add(new Blob(digest, names.getOrDefault(digest, ""),
                bytes, existing.containsKey(digest))));
        blobs.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
        return blobs;
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        String[] units = {"kB", "MB", "GB"};
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
