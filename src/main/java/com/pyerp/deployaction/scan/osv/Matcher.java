package com.pyerp.deployaction.scan.osv;

import com.pyerp.deployaction.os.OsRelease;
import com.pyerp.deployaction.results.Severity;
import com.pyerp.deployaction.scan.inventory.Package;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import us.springett.cvss.Cvss;

/**
 * Turns candidate OSV records into findings: the one evaluator decides which records affect each package, records
 * that share an id or alias become one finding, and its severity is the highest CVSS base score of those records,
 * else their own severity word.
 */
public final class Matcher {

    /** The question asked of OSV for one package: Debian by source package and release, Alpine by origin. */
    public record Query(String ecosystem, String name, String version) {}

    private Matcher() {}

    public static Query query(Package pkg, OsRelease os) {
        return new Query(pkg.osvEcosystem(os), pkg.type() == Package.Type.PYPI ? Package.normalizePython(pkg.name())
                : pkg.sourceName(), pkg.sourceVersion());
    }

    /**
     * Whether to ask OSV about a package. Not Debian or Alpine packages without a known release, and not the Python
     * distributions Debian's own packages install into {@code /usr/lib/python3/dist-packages} (pip never writes
     * there): Debian backports fixes into them without changing the upstream version, so PyPI's advisories would
     * be false positives, and Debian's advisories for their source packages already cover them.
     */
    public static boolean queryable(Package pkg, OsRelease os) {
        if (pkg.type() == Package.Type.PYPI) {
            return !pkg.path().startsWith(DEBIAN_PYTHON);
        }
        return os.known() && !os.majorVersion().isEmpty();
    }

    private static final String DEBIAN_PYTHON = "usr/lib/python3/dist-packages/";

    /** What to ask the vulnerability database about these packages, each question once. */
    public static Set<Query> queries(List<Package> packages, OsRelease os) {
        Set<Query> queries = new LinkedHashSet<>();
        packages.stream().filter(pkg -> queryable(pkg, os)).forEach(pkg -> queries.add(query(pkg, os)));
        return queries;
    }

    public static List<Finding> findings(List<Package> packages, OsRelease os, Map<Query, List<OsvRecord>> candidates) {
        List<Finding> findings = new ArrayList<>();
        for (Package pkg : packages) {
            if (!queryable(pkg, os)) {
                continue;
            }
            Query query = query(pkg, os);
            Map<OsvRecord, OsvEvaluator.Verdict> affecting = new LinkedHashMap<>();
            for (OsvRecord record : candidates.getOrDefault(query, List.of())) {
                if (record.withdrawn()) {
                    continue;
                }
                OsvEvaluator.Verdict verdict = OsvEvaluator.evaluate(record, pkg.type(), query.ecosystem(), query.name(),
                        query.version());
                if (verdict.affected()) {
                    affecting.put(record, verdict);
                }
            }
            for (List<OsvRecord> group : groupByAlias(new ArrayList<>(affecting.keySet()))) {
                findings.add(finding(pkg, query, group, affecting));
            }
        }
        findings.sort(Comparator.comparing((Finding f) -> f.pkg().name()).thenComparing(f -> f.severity(),
                Comparator.reverseOrder()).thenComparing(Finding::id));
        return List.copyOf(findings);
    }

    private static Finding finding(Package pkg, Query query, List<OsvRecord> group,
            Map<OsvRecord, OsvEvaluator.Verdict> verdicts) {
        Set<String> ids = new LinkedHashSet<>();
        group.forEach(record -> {
            ids.add(record.id());
            ids.addAll(record.aliases());
        });
        String shown = ids.stream().filter(id -> id.startsWith("CVE-")).sorted().findFirst()
                .or(() -> ids.stream().filter(id -> id.startsWith("GHSA-")).sorted().findFirst())
                .orElse(group.get(0).id());
        List<String> others = ids.stream().filter(id -> !id.equals(shown)).sorted().toList();
        Rating best = null;
        for (OsvRecord record : group) {
            Rating rating = rating(record, query);
            if (best == null || rating.compareTo(best) > 0) {
                best = rating;
            }
        }
        Optional<String> fixed = group.stream().map(record -> verdicts.get(record).fixed()).flatMap(Optional::stream)
                .min(pkg.type().order());
        OsvRecord titled = group.stream().filter(record -> !record.title().isEmpty()).findFirst().orElse(group.get(0));
        return new Finding(pkg, shown, others, best.severity, best.score, best.vector, fixed, titled.title(), titled.url());
    }

    private record Rating(Severity severity, Optional<Double> score, String vector) implements Comparable<Rating> {
        @Override
        public int compareTo(Rating other) {
            int c = severity.compareTo(other.severity);
            return c != 0 ? c : Double.compare(score.orElse(-1.0), other.score.orElse(-1.0));
        }
    }

    /** CVSS v3, then v4, then v2 vectors (the package's own first); else the record's words. */
    static Rating rating(OsvRecord record, Query query) {
        List<OsvRecord.Score> scores = new ArrayList<>();
        String word = "";
        for (OsvRecord.Affected affected : record.affected()) {
            if (affected.ecosystem().equals(query.ecosystem())) {
                scores.addAll(affected.severity());
                word = word.isEmpty() ? affected.ecosystemSeverity() : word;
            }
        }
        scores.addAll(record.severity());
        for (String type : List.of("CVSS_V3", "CVSS_V4", "CVSS_V2")) {
            for (OsvRecord.Score score : scores) {
                if (score.type().equals(type)) {
                    Optional<Double> base = baseScore(score.score());
                    if (base.isPresent()) {
                        return new Rating(Severity.ofScore(base.get()), base, score.score());
                    }
                }
            }
        }
        for (OsvRecord.Score score : scores) {
            Optional<Severity> named = Severity.ofWord(score.score());
            if (named.isPresent()) {
                return new Rating(named.get(), Optional.empty(), "");
            }
        }
        Optional<Severity> named = Severity.ofWord(word).or(() -> Severity.ofWord(record.databaseSeverity()));
        return new Rating(named.orElse(Severity.UNKNOWN), Optional.empty(), "");
    }

    static Optional<Double> baseScore(String vector) {
        try {
            Cvss cvss = Cvss.fromVector(vector.trim());
            return cvss == null ? Optional.empty() : Optional.of(cvss.calculateScore().getBaseScore());
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }

    /** Records that share an id or alias, transitively, in first-seen order. */
    static List<List<OsvRecord>> groupByAlias(List<OsvRecord> records) {
        int[] parent = new int[records.size()];
        Map<String, Integer> owner = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            parent[i] = i;
            Set<String> ids = new LinkedHashSet<>(records.get(i).aliases());
            ids.add(records.get(i).id());
            for (String id : ids) {
                Integer other = owner.putIfAbsent(id, i);
                if (other != null) {
                    parent[find(parent, i)] = find(parent, other);
                }
            }
        }
        Map<Integer, List<OsvRecord>> groups = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            groups.computeIfAbsent(find(parent, i), root -> new ArrayList<>()).add(records.get(i));
        }
        return List.copyOf(groups.values());
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }
}
