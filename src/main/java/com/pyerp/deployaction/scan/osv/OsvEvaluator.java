package com.pyerp.deployaction.scan.osv;

import com.pyerp.deployaction.scan.inventory.Package;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Whether an OSV record affects one installed package, by the schema's evaluation rules: the exact
 * {@code versions} list, or any ECOSYSTEM/SEMVER range whose events, sorted by the ecosystem's order, leave the
 * version affected ({@code introduced} "0" is the lowest version, {@code fixed} and {@code last_affected} end a
 * range, {@code limit} caps it). GIT ranges say nothing about a packaged version and are skipped.
 */
public final class OsvEvaluator {

    /** {@code fixed} is the lowest fixed version above the installed one, or empty when none is known. */
    public record Verdict(boolean affected, Optional<String> fixed) {}

    private static final Verdict NOT_AFFECTED = new Verdict(false, Optional.empty());

    private OsvEvaluator() {}

    public static Verdict evaluate(OsvRecord record, Package.Type type, String ecosystem, String name, String version) {
        Comparator<String> order = type.order();
        boolean affected = false;
        String fixed = null;
        for (OsvRecord.Affected entry : record.affected()) {
            if (!entry.ecosystem().equals(ecosystem) || !type.sameName(entry.name(), name)) {
                continue;
            }
            boolean listed = entry.versions().stream().anyMatch(listedVersion -> order.compare(listedVersion, version) == 0);
            for (OsvRecord.Range range : entry.ranges()) {
                if (range.type().equals("GIT")) {
                    continue;
                }
                Optional<String> rangeFix = inRange(range.events(), version, order);
                if (rangeFix != null) {
                    affected = true;
                    if (rangeFix.isPresent() && (fixed == null || order.compare(rangeFix.get(), fixed) < 0)) {
                        fixed = rangeFix.get();
                    }
                }
            }
            affected |= listed;
        }
        return affected ? new Verdict(true, Optional.ofNullable(fixed)) : NOT_AFFECTED;
    }

    /** null when the version is outside the range; else the range's first fix above the version, if any. */
    static Optional<String> inRange(List<OsvRecord.Event> events, String version, Comparator<String> order) {
        List<OsvRecord.Event> limits = events.stream().filter(event -> event.kind().equals("limit")).toList();
        if (!limits.isEmpty() && limits.stream().noneMatch(limit -> limit.version().equals("*")
                || order.compare(version, limit.version()) < 0)) {
            return null;
        }
        List<OsvRecord.Event> sorted = new ArrayList<>(events.stream().filter(event -> !event.kind().equals("limit")).toList());
        sorted.sort(Comparator.comparing((OsvRecord.Event event) -> event, (a, b) -> {
            boolean aZero = isZero(a);
            boolean bZero = isZero(b);
            if (aZero || bZero) {
                return aZero && bZero ? 0 : aZero ? -1 : 1;
            }
            int c = order.compare(a.version(), b.version());
            // At the same version an introduction comes before the end of a range.
            return c != 0 ? c : Boolean.compare(!a.kind().equals("introduced"), !b.kind().equals("introduced"));
        }));
        boolean affected = false;
        for (OsvRecord.Event event : sorted) {
            switch (event.kind()) {
                case "introduced" -> {
                    if (isZero(event) || order.compare(version, event.version()) >= 0) {
                        affected = true;
                    }
                }
                case "fixed" -> {
                    if (order.compare(version, event.version()) >= 0) {
                        affected = false;
                    }
                }
                case "last_affected" -> {
                    if (order.compare(version, event.version()) > 0) {
                        affected = false;
                    }
                }
                default -> {
                    // unknown event kinds are ignored, as the schema asks of newer fields
                }
            }
        }
        if (!affected) {
            return null;
        }
        return sorted.stream().filter(event -> event.kind().equals("fixed") && order.compare(event.version(), version) > 0)
                .map(OsvRecord.Event::version).findFirst();
    }

    private static boolean isZero(OsvRecord.Event event) {
        return event.kind().equals("introduced") && event.version().equals("0");
    }
}
