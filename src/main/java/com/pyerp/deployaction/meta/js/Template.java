package com.pyerp.deployaction.meta.js;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The part of Handlebars 4.7 that docker/metadata-action's templates use, as {@code handlebars.compile(text)(context)}
 * with default options renders them: text; {@code {{name param… key=value}}} mustaches, HTML-escaped unless written
 * {@code {{{…}}}} or {@code {{&…}}}; comments; {@code \{{…}}} for literal braces; {@code ~} whitespace control, and
 * the removal of the line around a comment that stands alone on it.
 *
 * <p>Parsing refuses blocks, partials, decorators and raw blocks. Inside a mustache it accepts all of Handlebars'
 * syntax, as {@code handlebars.parseWithoutProcessing} does, so that {@link #isOnly} answers like metadata-action's
 * isRawStatement; rendering then refuses what it cannot evaluate: a name that is a path ({@code a.b}, {@code ../a},
 * {@code @root}, {@code this}) or a literal, Handlebars' built-in helpers, sub-expressions, and parameters other than
 * string, number and boolean literals.
 */
public final class Template {

    private static final Set<String> BUILT_IN_HELPERS = Set.of("blockHelperMissing", "each", "helperMissing", "if",
            "log", "lookup", "unless", "with");

    private final List<Node> body;

    private Template(List<Node> body) {
        this.body = body;
    }

    /**
     * Parses a template; a syntax error throws IllegalArgumentException with a message naming the problem and the
     * template.
     */
    public static Template parse(String source) {
        return new Template(new TemplateParser(source).parse());
    }

    /** Renders with {@code resolver} answering each mustache. */
    public String render(Resolver resolver) {
        StringBuilder out = new StringBuilder();
        for (Node node : body) {
            if (node instanceof Text text) {
                out.append(text.value());
            } else if (node instanceof Mustache mustache) {
                String value = mustache.call().evaluate(resolver, mustache.source());
                out.append(mustache.escaped() ? escape(value) : value);
            }
        }
        return out.toString();
    }

    /**
     * True when the template is exactly one mustache whose path is {@code name} and nothing else (metadata-action's
     * isRawStatement for "raw"). As there, {@code {{this.raw}}}, {@code {{@raw}}}, {@code {{{raw}}}} and
     * {@code {{raw 'x'}}} qualify; {@code {{raw}} } (a space after it) and {@code {{"raw"}}} do not.
     */
    public boolean isOnly(String name) {
        return body.size() == 1 && body.get(0) instanceof Mustache mustache
                && mustache.call().head() instanceof Path path && path.parts().equals(List.of(name));
    }

    @FunctionalInterface
    public interface Resolver {
        /**
         * Value for {{name p1 p2 key=value}}; params are the literal values (strings/numbers as written), hash
         * likewise. Empty = unknown name.
         */
        Optional<String> resolve(String name, List<String> params, Map<String, String> hash);
    }

    /** Handlebars' escapeExpression. */
    private static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#x27;");
                case '`' -> out.append("&#x60;");
                case '=' -> out.append("&#x3D;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    sealed interface Node permits Text, Mustache {}

    /** Text; an empty one stands for a comment, which Handlebars counts as a statement. */
    record Text(String value) implements Node {}

    record Mustache(Call call, boolean escaped, String source) implements Node {}

    sealed interface Expression permits Path, Literal, Call {}

    /**
     * A path, without its this/./.. segments (.. counts in depth); original is how Handlebars names it in messages.
     */
    record Path(boolean data, int depth, List<String> parts, String original) implements Expression {}

    /** A string, number (as written) or boolean; value is null for the null and undefined literals. */
    record Literal(String value, String source) implements Expression {}

    record Call(Expression head, List<Expression> params, List<Map.Entry<String, Expression>> hash)
            implements Expression {

        String evaluate(Resolver resolver, String mustache) {
            if (!(head instanceof Path path) || path.data() || path.depth() > 0 || path.parts().size() != 1) {
                throw unsupported(mustache, "only a plain name can be looked up");
            }
            String name = path.parts().get(0);
            // Handlebars' own helpers come before the context unless the name is written this.name or ./name.
            if (BUILT_IN_HELPERS.contains(name) && path.original().equals(name)) {
                throw unsupported(mustache, "Handlebars' built-in helpers are not implemented");
            }
            List<String> values = new ArrayList<>();
            for (Expression param : params) {
                values.add(literal(param, mustache));
            }
            // Handlebars fills the hash from the last pair to the first: keys come out reversed, the first of
            // duplicate keys wins.
            Map<String, String> options = new LinkedHashMap<>();
            for (int i = hash.size() - 1; i >= 0; i--) {
                options.put(hash.get(i).getKey(), literal(hash.get(i).getValue(), mustache));
            }
            Optional<String> value = resolver.resolve(name, List.copyOf(values), Collections.unmodifiableMap(options));
            // Its helperMissing only throws when there are parameters: {{unknown}} and {{unknown k=v}} are empty.
            if (value.isEmpty() && !values.isEmpty()) {
                throw new IllegalArgumentException("Missing helper: \"" + path.original() + "\"");
            }
            return value.orElse("");
        }

        private static String literal(Expression expression, String mustache) {
            if (expression instanceof Literal literal && literal.value() != null) {
                return literal.value();
            }
            String what = expression instanceof Literal literal ? "the " + literal.source() + " literal"
                    : expression instanceof Path path ? "the path " + path.original() : "a sub-expression";
            throw unsupported(mustache, what + " as a parameter");
        }

        private static IllegalArgumentException unsupported(String mustache, String problem) {
            return new IllegalArgumentException(mustache + " is not supported: " + problem);
        }
    }
}
