package com.pyerp.deployaction.debian;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which packages to add to a base so that every requested one is installed with everything it depends on, for one
 * architecture, as {@code apt-get install --no-install-recommends} decides: Pre-Depends and Depends with their
 * version relations, the first alternative that can be had, virtual packages through Provides, the highest version
 * of all configured suites, and Conflicts and Breaks against the base and the new set. Packages the base carries in
 * a version that satisfies the relation are not added again. Pure: the indexes and the base are handed in.
 */
public final class Resolver {

    /** A requested package: {@code name} or {@code name=version}. */
    public record Request(String name, Optional<String> version) {

        /** @throws IllegalArgumentException for anything but a package name with an optional {@code =version} */
        public static Request parse(String text) {
            int equals = text.indexOf('=');
            String name = equals < 0 ? text : text.substring(0, equals);
            if (!name.matches("[a-z0-9][a-z0-9+.-]+")) {
                throw new IllegalArgumentException("'" + text + "' is not a package name such as libpango-1.0-0, or"
                        + " name=version");
            }
            if (equals >= 0 && !text.substring(equals + 1).matches("[A-Za-z0-9.+~:-]+")) {
                throw new IllegalArgumentException("'" + text + "' does not end in a Debian version after '='");
            }
            return new Request(name, equals < 0 ? Optional.empty() : Optional.of(text.substring(equals + 1)));
        }

        Relation relation() {
            return new Relation(name, "", version.map(v -> new Relation.Constraint(Relation.Operator.EQUAL, v)));
        }

        @Override
        public String toString() {
            return name + version.map(v -> "=" + v).orElse("");
        }
    }

    /**
     * @param added what to unpack, each after what it pre-depends and depends on (where no cycle makes that
     *     impossible)
     * @param inBase the requested packages the base already has
     */
    public record Resolution(List<BinaryPackage> added, List<BinaryPackage> inBase) {}

    /** No set of packages satisfies the request; the message shows why, down the chain of dependencies. */
    public static final class Unresolvable extends RuntimeException {
        Unresolvable(String message) {
            super(message);
        }
    }

    /** A dependency with alternatives, and how the set came to need it. */
    private record Choice(List<Relation> clause, List<String> chain) {}

    private static final Comparator<BinaryPackage> NEWEST_FIRST =
            Comparator.comparing(BinaryPackage::version, DebianVersion.ORDER).reversed();

    private final String architecture;
    private final Map<String, List<BinaryPackage>> byName = new HashMap<>();
    private final Map<String, List<BinaryPackage>> providers = new HashMap<>();
    private final Map<String, BinaryPackage> base = new LinkedHashMap<>();

    private final Map<String, BinaryPackage> chosen = new LinkedHashMap<>();
    private final Map<String, List<String>> chains = new HashMap<>();

    private Resolver(String architecture, Collection<BinaryPackage> candidates, Collection<BinaryPackage> installed) {
        this.architecture = architecture;
        for (BinaryPackage candidate : candidates) {
            if (candidate.architecture().equals(architecture) || candidate.architecture().equals("all")) {
                byName.computeIfAbsent(candidate.name(), name -> new ArrayList<>()).add(candidate);
                candidate.provides().forEach(provided ->
                        providers.computeIfAbsent(provided.name(), name -> new ArrayList<>()).add(candidate));
            }
        }
        byName.values().forEach(list -> list.sort(NEWEST_FIRST));
        providers.values().forEach(list -> list.sort(Comparator.comparing(BinaryPackage::name).thenComparing(NEWEST_FIRST)));
        installed.forEach(installedPackage -> base.put(installedPackage.name(), installedPackage));
    }

    /**
     * @param candidates every package of the configured suites (other architectures are left out here)
     * @param installed what the base image's dpkg status lists as installed
     */
    public static Resolution resolve(List<Request> requests, String architecture, Collection<BinaryPackage> candidates,
            Collection<BinaryPackage> installed) {
        return new Resolver(architecture, candidates, installed).resolve(requests);
    }

    private Resolution resolve(List<Request> requests) {
        List<BinaryPackage> inBase = new ArrayList<>();
        Deque<BinaryPackage> pending = new ArrayDeque<>();
        for (Request request : requests) {
            BinaryPackage installed = base.get(request.name());
            if (installed != null && installed.satisfies(request.relation())) {
                inBase.add(installed);
                continue;
            }
            if (!byName.containsKey(request.name()) && providerNames(request.name()).size() > 1) {
                throw new Unresolvable(request + " is a virtual package, provided by "
                        + String.join(", ", providerNames(request.name())) + ": name one of them.");
            }
            BinaryPackage candidate = best(request.relation()).orElseThrow(() -> unknown(request));
            choose(candidate, List.of(request.toString()), pending);
        }
        do {
            settle(pending);
        } while (upgradeBrokenBasePackages(pending));
        checkExclusions();
        return new Resolution(unpackOrder(), List.copyOf(inBase));
    }

    /**
     * A base package whose dependency an upgrade broke (an exact pin on the old version, say) is upgraded too, as
     * apt does; true when that added anything to settle.
     */
    private boolean upgradeBrokenBasePackages(Deque<BinaryPackage> pending) {
        for (BinaryPackage installed : base.values()) {
            if (chosen.containsKey(installed.name())) {
                continue;
            }
            for (List<Relation> clause : installed.dependencies()) {
                if (!satisfied(clause)) {
                    List<String> chain = List.of("the base image's " + installed.describe(), describe(clause));
                    BinaryPackage upgrade = best(new Relation(installed.name(), "", Optional.empty()))
                            .filter(candidate -> !candidate.version().equals(installed.version()))
                            .orElseThrow(() -> new Unresolvable(String.join(" -> ", chain) + ", which the packages"
                                    + " added break, and no configured suite has another version of " + installed.name()
                                    + ". Pin the requested packages to versions that the base image's agree with."));
                    choose(upgrade, chain, pending);
                    return true;
                }
            }
        }
        return false;
    }

    private void settle(Deque<BinaryPackage> pending) {
        // A choice between alternatives waits until every plain dependency is in: as with apt, an alternative that
        // the set takes in anyway wins over the first one.
        Deque<Choice> choices = new ArrayDeque<>();
        while (!pending.isEmpty() || !choices.isEmpty()) {
            if (pending.isEmpty()) {
                Choice choice = choices.removeFirst();
                if (!satisfied(choice.clause())) {
                    choose(pick(choice.clause(), choice.chain()), choice.chain(), pending);
                }
                continue;
            }
            BinaryPackage next = pending.removeFirst();
            for (List<Relation> clause : next.dependencies()) {
                if (!satisfied(clause)) {
                    List<String> chain = new ArrayList<>(chains.get(next.name()));
                    chain.add(describe(clause));
                    if (clause.size() > 1) {
                        choices.addLast(new Choice(clause, chain));
                    } else {
                        choose(pick(clause, chain), chain, pending);
                    }
                }
            }
        }
    }

    private void choose(BinaryPackage candidate, List<String> chain, Deque<BinaryPackage> pending) {
        BinaryPackage already = chosen.get(candidate.name());
        if (already != null) {
            if (!already.version().equals(candidate.version())) {
                throw new Unresolvable(String.join(" -> ", chain) + " needs " + candidate.describe() + ", but "
                        + String.join(" -> ", chains.get(already.name())) + " needs " + already.describe()
                        + "; pin one of the requested packages to a version that agrees (name=version).");
            }
            return;
        }
        chosen.put(candidate.name(), candidate);
        chains.put(candidate.name(), List.copyOf(chain));
        pending.addLast(candidate);
    }

    /** The first alternative that can be had; one the set already holds counts first. */
    private BinaryPackage pick(List<Relation> clause, List<String> chain) {
        for (Relation relation : clause) {
            BinaryPackage held = chosen.get(relation.name());
            if (held != null && !held.satisfies(relation) && clause.size() == 1) {
                throw new Unresolvable(String.join(" -> ", chain) + ", but " + String.join(" -> ", chains.get(held.name()))
                        + " chose " + held.describe() + "; pin the requested packages to versions that agree"
                        + " (name=version).");
            }
            Optional<BinaryPackage> candidate = best(relation);
            if (candidate.isPresent()) {
                return candidate.get();
            }
        }
        throw new Unresolvable(String.join(" -> ", chain) + ": no configured suite has a package that satisfies "
                + describe(clause) + available(clause) + ". Check system-packages-sources, or pin a version that"
                + " exists.");
    }

    private boolean satisfied(List<Relation> clause) {
        return clause.stream().anyMatch(relation -> Stream.concat(chosen.values().stream(), base.values().stream()
                .filter(installed -> !chosen.containsKey(installed.name())))
                .anyMatch(held -> matchesArchitecture(relation, held) && held.satisfies(relation)));
    }

    /** The newest real package of that name that satisfies it, else the first provider that does. */
    private Optional<BinaryPackage> best(Relation relation) {
        if (!relation.architecture().isEmpty() && !List.of("any", "native", architecture).contains(relation.architecture())) {
            return Optional.empty();
        }
        Optional<BinaryPackage> real = byName.getOrDefault(relation.name(), List.of()).stream()
                .filter(candidate -> candidate.satisfies(relation)).findFirst();
        if (real.isPresent()) {
            return real;
        }
        return providers.getOrDefault(relation.name(), List.of()).stream()
                .filter(candidate -> candidate.satisfies(relation)).findFirst();
    }

    private boolean matchesArchitecture(Relation relation, BinaryPackage held) {
        return relation.architecture().isEmpty() || relation.architecture().equals("any")
                || relation.architecture().equals("native") || relation.architecture().equals(held.architecture())
                || held.architecture().equals("all");
    }

    /** Conflicts and Breaks of the new packages against the base and each other, and of the base against them. */
    private void checkExclusions() {
        List<BinaryPackage> present = new ArrayList<>(chosen.values());
        base.values().stream().filter(installed -> !chosen.containsKey(installed.name())).forEach(present::add);
        for (BinaryPackage excluding : present) {
            for (Relation exclusion : excluding.exclusions()) {
                for (BinaryPackage other : present) {
                    boolean involvesNew = chosen.containsKey(excluding.name()) || chosen.containsKey(other.name());
                    if (involvesNew && !other.name().equals(excluding.name()) && other.satisfies(exclusion)) {
                        throw new Unresolvable(conflict(excluding, exclusion, other));
                    }
                }
            }
        }
    }

    private String conflict(BinaryPackage excluding, Relation exclusion, BinaryPackage other) {
        BinaryPackage inBase = !chosen.containsKey(other.name()) ? other : !chosen.containsKey(excluding.name()) ? excluding
                : null;
        return where(excluding) + " conflicts with " + exclusion + ", which " + where(other) + " satisfies. "
                + (inBase == null ? "Leave one of them out." : "Leave out what needs "
                        + (inBase == other ? excluding : other).name() + ", or use a base image without " + inBase.name()
                        + ".");
    }

    private String where(BinaryPackage held) {
        return chosen.containsKey(held.name()) ? held.describe() + " (" + String.join(" -> ", chains.get(held.name()))
                + ")" : held.describe() + " in the base image";
    }

    /** Depth first from what was requested: each package after what it depends on. */
    private List<BinaryPackage> unpackOrder() {
        Set<String> done = new LinkedHashSet<>();
        Set<String> visiting = new LinkedHashSet<>();
        for (String name : chosen.keySet()) {
            visit(name, done, visiting);
        }
        return done.stream().map(chosen::get).toList();
    }

    private void visit(String name, Set<String> done, Set<String> visiting) {
        if (done.contains(name) || !visiting.add(name)) {
            return;
        }
        for (List<Relation> clause : chosen.get(name).dependencies()) {
            clause.stream().flatMap(relation -> chosen.values().stream().filter(held -> held.satisfies(relation)))
                    .findFirst().ifPresent(dependency -> visit(dependency.name(), done, visiting));
        }
        visiting.remove(name);
        done.add(name);
    }

    private Unresolvable unknown(Request request) {
        List<BinaryPackage> versions = byName.getOrDefault(request.name(), List.of());
        if (!versions.isEmpty()) {
            return new Unresolvable(request + ": the configured suites have " + request.name() + " only in version "
                    + String.join(", ", versions.stream().map(BinaryPackage::version).toList()) + " for " + architecture
                    + ". Ask for one of them, or for the name alone.");
        }
        List<String> close = closest(request.name());
        return new Unresolvable("No configured suite has a package named " + request.name() + " for " + architecture
                + (close.isEmpty() ? "." : "; did you mean " + String.join(", ", close) + "?"));
    }

    private List<String> providerNames(String name) {
        return providers.getOrDefault(name, List.of()).stream().map(BinaryPackage::name).distinct().toList();
    }

    private String available(List<Relation> clause) {
        List<String> versions = clause.stream().flatMap(relation -> byName.getOrDefault(relation.name(), List.of()).stream())
                .map(BinaryPackage::describe).distinct().toList();
        return versions.isEmpty() ? "" : " (there is " + String.join(", ", versions) + ")";
    }

    /** Up to three names at the smallest edit distance, at most a third of the name's length away. */
    private List<String> closest(String name) {
        int limit = Math.max(1, name.length() / 3);
        Map<String, Integer> distances = new HashMap<>();
        Stream.concat(byName.keySet().stream(), providers.keySet().stream()).distinct().forEach(candidate -> {
            if (Math.abs(candidate.length() - name.length()) <= limit) {
                int distance = distance(name, candidate);
                if (distance <= limit) {
                    distances.put(candidate, distance);
                }
            }
        });
        return distances.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .limit(3).map(Map.Entry::getKey).toList();
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static String describe(List<Relation> clause) {
        return String.join(" | ", clause.stream().map(Relation::toString).toList());
    }
}
