package com.pyerp.deployaction.debian;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One package relation as binary control fields write it (deb-control(5)): {@code name[:arch] [(op version)]}.
 *
 * @param architecture the qualifier after ':' ({@code any}, {@code native} or an architecture), or empty
 * @param constraint empty for any version
 */
public record Relation(String name, String architecture, Optional<Constraint> constraint) {

    /** {@code (op version)}. */
    public record Constraint(Operator operator, String version) {

        public boolean allows(String candidate) {
            int order = DebianVersion.compare(candidate, version);
            return switch (operator) {
                case EARLIER -> order < 0;
                case EARLIER_OR_EQUAL -> order <= 0;
                case EQUAL -> order == 0;
                case LATER_OR_EQUAL -> order >= 0;
                case LATER -> order > 0;
            };
        }

        @Override
        public String toString() {
            return "(" + operator.symbol + " " + version + ")";
        }
    }

    public enum Operator {
        EARLIER("<<"), EARLIER_OR_EQUAL("<="), EQUAL("="), LATER_OR_EQUAL(">="), LATER(">>");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        static Operator of(String symbol) {
            return switch (symbol) {
                case "<<" -> EARLIER;
                case "<=", "<" -> EARLIER_OR_EQUAL;
                case "=" -> EQUAL;
                case ">=", ">" -> LATER_OR_EQUAL;
                case ">>" -> LATER;
                default -> throw new IllegalArgumentException("unknown version relation '" + symbol + "'");
            };
        }
    }

    private static final Pattern ONE = Pattern.compile(
            "([a-z0-9][a-z0-9+.-]*)(?::([a-z0-9-]+))?\\s*(?:\\(\\s*(<<|<=|>=|>>|=|<|>)\\s*([^)\\s]+)\\s*\\))?\\s*");

    /** Whether {@code version} of a package satisfies this relation's version; any version does without one. */
    public boolean allows(String version) {
        return constraint.map(c -> c.allows(version)).orElse(true);
    }

    /**
     * A relation field ({@code Depends}, {@code Conflicts}, …): the comma-separated relations, each a list of
     * alternatives separated by '|'. Empty for an empty field.
     *
     * @throws IllegalArgumentException naming the part that is not a relation
     */
    public static List<List<Relation>> parseField(String field) {
        List<List<Relation>> all = new ArrayList<>();
        for (String part : field.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            List<Relation> alternatives = new ArrayList<>();
            for (String alternative : part.split("\\|")) {
                alternatives.add(parse(alternative));
            }
            all.add(List.copyOf(alternatives));
        }
        return List.copyOf(all);
    }

    /** A field without alternatives, such as {@code Provides}. */
    public static List<Relation> parseList(String field) {
        return parseField(field).stream().map(alternatives -> {
            if (alternatives.size() != 1) {
                throw new IllegalArgumentException("'" + field.strip() + "' may not list alternatives");
            }
            return alternatives.get(0);
        }).toList();
    }

    public static Relation parse(String text) {
        Matcher matcher = ONE.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text.strip() + "' is not a package relation");
        }
        Optional<Constraint> constraint = matcher.group(3) == null ? Optional.empty()
                : Optional.of(new Constraint(Operator.of(matcher.group(3)), matcher.group(4)));
        return new Relation(matcher.group(1), matcher.group(2) == null ? "" : matcher.group(2), constraint);
    }

    @Override
    public String toString() {
        return name + (architecture.isEmpty() ? "" : ":" + architecture) + constraint.map(c -> " " + c).orElse("");
    }
}
