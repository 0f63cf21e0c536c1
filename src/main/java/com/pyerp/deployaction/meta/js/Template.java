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
        return new Template(new Parser(source).parse());
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

    private sealed interface Node permits Text, Mustache {}

    /** Text; an empty one stands for a comment, which Handlebars counts as a statement. */
    private record Text(String value) implements Node {}

    private record Mustache(Call call, boolean escaped, String source) implements Node {}

    private sealed interface Expression permits Path, Literal, Call {}

    /**
     * A path, without its this/./.. segments (.. counts in depth); original is how Handlebars names it in messages.
     */
    private record Path(boolean data, int depth, List<String> parts, String original) implements Expression {}

    /** A string, number (as written) or boolean; value is null for the null and undefined literals. */
    private record Literal(String value, String source) implements Expression {}

    private record Call(Expression head, List<Expression> params, List<Map.Entry<String, Expression>> hash)
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

    /** Handlebars' lexer and parser for the statements it supports, then its whitespace control. */
    private static final class Parser {

        private enum Kind { OPEN_SEXPR, CLOSE_SEXPR, EQUALS, ID, SEP, STRING, NUMBER, BOOLEAN, NULLISH, DATA, CLOSE,
            CLOSE_UNESCAPED, INVALID, EOF }

        /** A lexer token; text is an ID's name or a string's value, bracketed tells a [literal] ID segment. */
        private record Token(Kind kind, String text, int start, int end, boolean bracketed) {}

        /** A top-level statement while whitespace control runs: content, a comment or a mustache. */
        private static final class Statement {
            final String original; // content only
            final Mustache mustache; // mustache only
            final boolean stripBefore;
            final boolean stripAfter;
            String value;
            boolean leftStripped;
            boolean rightStripped;

            Statement(String original, Mustache mustache, boolean stripBefore, boolean stripAfter) {
                this.original = original;
                this.mustache = mustache;
                this.stripBefore = stripBefore;
                this.stripAfter = stripAfter;
                this.value = original;
            }

            boolean isContent() {
                return original != null;
            }
        }

        private static final String[] KEYWORDS = {"true", "false", "undefined", "null"};

        private final String source;
        private final List<Statement> statements = new ArrayList<>();
        private int pos;

        Parser(String source) {
            this.source = source;
        }

        List<Node> parse() {
            while (pos < source.length()) {
                int open = source.indexOf("{{", pos);
                int end = open < 0 ? source.length() : open;
                int nul = source.indexOf('\0', pos);
                if (nul >= 0 && nul < end) {
                    throw error("a NUL character", nul);
                }
                String text = source.substring(pos, end);
                pos = end;
                if (open < 0) {
                    content(text);
                } else if (text.endsWith("\\") && !text.endsWith("\\\\")) {
                    content(text.substring(0, text.length() - 1));
                    escapedMustache();
                } else {
                    // "\\{{x}}" keeps one backslash and still evaluates {{x}}
                    content(text.endsWith("\\\\") ? text.substring(0, text.length() - 1) : text);
                    statement();
                }
            }
            controlWhitespace();
            List<Node> nodes = new ArrayList<>();
            for (Statement statement : statements) {
                nodes.add(statement.mustache != null ? statement.mustache
                        : new Text(statement.isContent() ? statement.value : ""));
            }
            return List.copyOf(nodes);
        }

        private void content(String text) {
            if (!text.isEmpty()) {
                statements.add(new Statement(text, null, false, false));
            }
        }

        /** After "\": text from "{{" up to the next "{{", "\{{" or "\\{{" (at least the two braces). */
        private void escapedMustache() {
            int end = pos + 2;
            while (end < source.length() && !source.startsWith("{{", end) && !source.startsWith("\\{{", end)
                    && !source.startsWith("\\\\{{", end)) {
                if (source.charAt(end) == '\0') {
                    throw error("a NUL character", end);
                }
                end++;
            }
            content(source.substring(pos, end));
            pos = end;
        }

        /** A statement starting with "{{": a comment or a mustache; the other kinds are refused. */
        private void statement() {
            int start = pos;
            if (source.indexOf("}}", start + 2) < 0) {
                throw error("\"{{\" is never closed by \"}}\"", start);
            }
            int p = start + 2;
            if (source.startsWith("{{", p)) {
                throw error("raw blocks {{{{…}}}} are not supported", start);
            }
            boolean stripBefore = charAt(p) == '~';
            if (stripBefore) {
                p++;
            }
            char c = charAt(p);
            if (c == '!') {
                comment(start, p);
                return;
            }
            int word = skipSpaces(p);
            if (c == '#' || c == '^' || c == '/' || source.startsWith("else", word) && !isWordChar(charAt(word + 4))) {
                throw error("blocks ({{#…}}, {{^…}}, {{/…}}, {{else}}) are not supported", start);
            }
            if (c == '>') {
                throw error("partials ({{>…}}) are not supported", start);
            }
            if (c == '*') {
                throw error("decorators ({{*…}}) are not supported", start);
            }
            boolean triple = c == '{';
            pos = triple || c == '&' ? p + 1 : p;
            Call call = call();
            Token close = next();
            if (close.kind() != (triple ? Kind.CLOSE_UNESCAPED : Kind.CLOSE)) {
                throw unexpected(close, triple ? "\"}}}\"" : "\"}}\"");
            }
            Mustache mustache = new Mustache(call, !triple && c != '&', source.substring(start, pos));
            statements.add(new Statement(null, mustache, stripBefore, close.text().contains("~")));
        }

        /** {{! … }} ends at the first "}}"; {{!-- … --}} at the first "--}}", the opening dashes included. */
        private void comment(int start, int bang) {
            int end = -1;
            if (source.startsWith("--", bang + 1)) {
                for (int at = source.indexOf("--", bang + 1); at >= 0 && end < 0; at = source.indexOf("--", at + 1)) {
                    end = source.startsWith("}}", at + 2) ? at + 4 : source.startsWith("~}}", at + 2) ? at + 5 : -1;
                }
            } else {
                end = source.indexOf("}}", bang + 1) + 2; // the statement itself checked there is one
            }
            if (end < 0) {
                throw error("unclosed comment", start);
            }
            String comment = source.substring(start, end);
            statements.add(new Statement(null, null, comment.charAt(2) == '~', comment.charAt(comment.length() - 3) == '~'));
            pos = end;
        }

        /** name param* (key=param)*, the inside of a mustache or a sub-expression. */
        private Call call() {
            Expression head = helperName(next());
            List<Expression> params = new ArrayList<>();
            List<Map.Entry<String, Expression>> hash = new ArrayList<>();
            for (Token token = peek(); startsParam(token); token = peek()) {
                if (token.kind() == Kind.ID && token(token.end()).kind() == Kind.EQUALS) {
                    next();
                    next();
                    hash.add(Map.entry(token.text(), param()));
                } else if (hash.isEmpty()) {
                    params.add(param());
                } else {
                    throw unexpected(token, "key=value");
                }
            }
            return new Call(head, List.copyOf(params), List.copyOf(hash));
        }

        private static boolean startsParam(Token token) {
            return switch (token.kind()) {
                case ID, DATA, STRING, NUMBER, BOOLEAN, NULLISH, OPEN_SEXPR -> true;
                default -> false;
            };
        }

        private Expression param() {
            if (peek().kind() != Kind.OPEN_SEXPR) {
                return helperName(next());
            }
            next();
            Call call = call();
            Token close = next();
            if (close.kind() != Kind.CLOSE_SEXPR) {
                throw unexpected(close, "\")\"");
            }
            return call;
        }

        private Expression helperName(Token token) {
            return switch (token.kind()) {
                case ID -> path(token, false);
                case DATA -> path(next(), true);
                case STRING, NUMBER, BOOLEAN -> new Literal(token.text(), token.text());
                case NULLISH -> new Literal(null, token.text());
                default -> throw unexpected(token, "a name or a literal");
            };
        }

        /** Handlebars' preparePath: this, . and .. may only lead the path. */
        private Path path(Token first, boolean data) {
            List<String> parts = new ArrayList<>();
            int depth = 0;
            StringBuilder original = new StringBuilder(data ? "@" : "");
            Token segment = first;
            while (true) {
                if (segment.kind() != Kind.ID) {
                    throw unexpected(segment, "a name");
                }
                original.append(segment.text());
                String part = segment.text();
                if (!segment.bracketed() && (part.equals("..") || part.equals(".") || part.equals("this"))) {
                    if (!parts.isEmpty()) {
                        throw error("Invalid path: " + original, segment.start());
                    }
                    depth += part.equals("..") ? 1 : 0;
                } else {
                    parts.add(part);
                }
                if (peek().kind() != Kind.SEP) {
                    return new Path(data, depth, List.copyOf(parts), original.toString());
                }
                original.append(next().text());
                segment = next();
            }
        }

        private Token peek() {
            return token(pos);
        }

        private Token next() {
            Token token = token(pos);
            pos = token.end();
            return token;
        }

        /** The token at {@code p}, by Handlebars' lexer rules for the inside of a mustache, in their order. */
        private Token token(int p) {
            p = skipSpaces(p);
            char c = charAt(p);
            if (p == source.length()) {
                return token(Kind.EOF, p, p);
            }
            if (c == '(' || c == ')') {
                return token(c == '(' ? Kind.OPEN_SEXPR : Kind.CLOSE_SEXPR, p, p + 1);
            }
            if (source.startsWith("{{", p) || source.startsWith("}}}}", p)) {
                return token(Kind.INVALID, p, p + 2);
            }
            if (source.startsWith("}}}", p) || source.startsWith("}~}}", p)) {
                return token(Kind.CLOSE_UNESCAPED, p, p + (charAt(p + 1) == '~' ? 4 : 3));
            }
            if (source.startsWith("}}", p) || source.startsWith("~}}", p)) {
                return token(Kind.CLOSE, p, p + (c == '~' ? 3 : 2));
            }
            if (c == '=') {
                return token(Kind.EQUALS, p, p + 1);
            }
            if (source.startsWith("..", p)) {
                return token(Kind.ID, p, p + 2);
            }
            if (c == '.' || c == '/') {
                return token(c == '.' && isLookahead(charAt(p + 1)) ? Kind.ID : Kind.SEP, p, p + 1);
            }
            if (c == '"' || c == '\'') {
                int close = closing(p, c);
                return close < 0 ? token(Kind.INVALID, p, p + 1) : new Token(Kind.STRING,
                        source.substring(p + 1, close).replace("\\" + c, String.valueOf(c)), p, close + 1, false);
            }
            if (c == '@') {
                return token(Kind.DATA, p, p + 1);
            }
            for (int k = 0; k < KEYWORDS.length; k++) {
                if (source.startsWith(KEYWORDS[k], p) && isLiteralLookahead(charAt(p + KEYWORDS[k].length()))) {
                    return token(k < 2 ? Kind.BOOLEAN : Kind.NULLISH, p, p + KEYWORDS[k].length());
                }
            }
            int number = numberEnd(p);
            if (number > p && isLiteralLookahead(charAt(number))) {
                return token(Kind.NUMBER, p, number);
            }
            int id = p;
            while (id < source.length() && isIdChar(source.charAt(id))) {
                id++;
            }
            if (id > p && isLookahead(charAt(id))) {
                return token(Kind.ID, p, id);
            }
            if (c == '[') {
                return bracketed(p);
            }
            return token(Kind.INVALID, p, p + 1);
        }

        private Token token(Kind kind, int start, int end) {
            return new Token(kind, source.substring(start, end), start, end, false);
        }

        /** A [literal] segment: "\]" and "\\" are unescaped, the brackets dropped unless it spans lines. */
        private Token bracketed(int open) {
            int close = closing(open, ']');
            if (close < 0) {
                return token(Kind.INVALID, open, open + 1);
            }
            StringBuilder text = new StringBuilder();
            for (int i = open; i <= close; i++) {
                char c = source.charAt(i);
                if (c == '\\' && (charAt(i + 1) == '\\' || charAt(i + 1) == ']') && i < close) {
                    c = source.charAt(++i);
                }
                text.append(c);
            }
            boolean oneLine = true;
            for (int i = 1; i < text.length() - 1; i++) {
                char c = text.charAt(i);
                oneLine &= c != '\n' && c != '\r' && c != '\u2028' && c != '\u2029';
            }
            return new Token(Kind.ID, oneLine ? text.substring(1, text.length() - 1) : text.toString(), open, close + 1,
                    oneLine);
        }

        /**
         * The end of a quoted string or [segment] opened at {@code open}, by the lexer's /"(\\"|[^"])*"/: the first
         * closing character not preceded by a backslash, else the last escaped one; -1 when there is none.
         */
        private int closing(int open, char closer) {
            int escaped = -1;
            for (int i = open + 1; i < source.length(); i++) {
                if (source.charAt(i) == closer) {
                    if (source.charAt(i - 1) != '\\') {
                        return i;
                    }
                    escaped = i;
                }
            }
            return escaped;
        }

        /** The end of /-?[0-9]+(\.[0-9]+)?/ at {@code p}, or {@code p}. */
        private int numberEnd(int p) {
            int end = charAt(p) == '-' ? p + 1 : p;
            int digits = end;
            while (isDigit(charAt(end))) {
                end++;
            }
            if (end == digits) {
                return p;
            }
            if (charAt(end) == '.' && isDigit(charAt(end + 1))) {
                end += 2;
                while (isDigit(charAt(end))) {
                    end++;
                }
            }
            return end;
        }

        /**
         * Handlebars' WhitespaceControl on the root program: "~" strips all whitespace on its side, and a comment
         * alone on its line takes the line's indentation and line break with it.
         */
        private void controlWhitespace() {
            for (int i = 0; i < statements.size(); i++) {
                Statement statement = statements.get(i);
                if (statement.isContent()) {
                    continue;
                }
                boolean standalone = statement.mustache == null && isPrevWhitespace(i) && isNextWhitespace(i);
                if (statement.stripAfter) {
                    omitRight(i, true);
                }
                if (statement.stripBefore) {
                    omitLeft(i, true);
                }
                if (standalone) {
                    omitRight(i, false);
                    omitLeft(i, false);
                }
            }
        }

        /** The text before ends a line (or is all whitespace and starts the template). */
        private boolean isPrevWhitespace(int i) {
            if (i == 0) {
                return true;
            }
            String text = statements.get(i - 1).original;
            if (text == null) {
                return false;
            }
            int blank = text.length();
            while (blank > 0 && isSpace(text.charAt(blank - 1))) {
                blank--;
            }
            return text.indexOf('\n', blank) >= 0 || i == 1 && blank == 0;
        }

        /** The text after starts with a line break (or is all whitespace and ends the template). */
        private boolean isNextWhitespace(int i) {
            if (i == statements.size() - 1) {
                return true;
            }
            String text = statements.get(i + 1).original;
            if (text == null) {
                return false;
            }
            int blank = 0;
            while (blank < text.length() && isSpace(text.charAt(blank))) {
                blank++;
            }
            int newline = text.indexOf('\n');
            return newline >= 0 && newline < blank || i + 2 == statements.size() && blank == text.length();
        }

        /** Strips the start of the next content: all whitespace, or (standalone) blanks and one line break. */
        private void omitRight(int i, boolean all) {
            if (i + 1 >= statements.size() || !statements.get(i + 1).isContent()) {
                return;
            }
            Statement next = statements.get(i + 1);
            if (!all && next.rightStripped) {
                return;
            }
            String value = next.value;
            int start = 0;
            if (all) {
                while (start < value.length() && isSpace(value.charAt(start))) {
                    start++;
                }
            } else {
                while (start < value.length() && (value.charAt(start) == ' ' || value.charAt(start) == '\t')) {
                    start++;
                }
                start += start < value.length() && value.charAt(start) == '\r' ? 1 : 0;
                start += start < value.length() && value.charAt(start) == '\n' ? 1 : 0;
            }
            next.value = value.substring(start);
            next.rightStripped = start > 0;
        }

        /** Strips the end of the previous content: all whitespace, or (standalone) blanks. */
        private void omitLeft(int i, boolean all) {
            if (i == 0 || !statements.get(i - 1).isContent()) {
                return;
            }
            Statement previous = statements.get(i - 1);
            if (!all && previous.leftStripped) {
                return;
            }
            String value = previous.value;
            int end = value.length();
            while (end > 0 && (all ? isSpace(value.charAt(end - 1)) : value.charAt(end - 1) == ' '
                    || value.charAt(end - 1) == '\t')) {
                end--;
            }
            previous.value = value.substring(0, end);
            previous.leftStripped = end < value.length();
        }

        private int skipSpaces(int p) {
            while (p < source.length() && isSpace(source.charAt(p))) {
                p++;
            }
            return p;
        }

        private char charAt(int p) {
            return p < source.length() ? source.charAt(p) : '\0';
        }

        private IllegalArgumentException unexpected(Token token, String expected) {
            String found = token.kind() == Kind.EOF ? "the end" : "\"" + source.substring(token.start(), token.end()) + "\"";
            return error("expected " + expected + " but found " + found, token.start());
        }

        private IllegalArgumentException error(String problem, int at) {
            return new IllegalArgumentException("Invalid template \"" + source + "\": " + problem + " at offset " + at);
        }

        /** JavaScript's \s. */
        private static boolean isSpace(char c) {
            return c == ' ' || c >= '\t' && c <= '\r' || c == '\u00a0' || c == '\u1680' || c >= '\u2000' && c <= '\u200a'
                    || c == '\u2028' || c == '\u2029' || c == '\u202f' || c == '\u205f' || c == '\u3000' || c == '\ufeff';
        }

        private static boolean isIdChar(char c) {
            return !isSpace(c) && "!\"#%&'()*+,./;<=>@[\\]^`{|}~".indexOf(c) < 0;
        }

        /** What may follow an ID: [=~}\s\/.)|]. */
        private static boolean isLookahead(char c) {
            return isSpace(c) || c != '\0' && "=~}/.)|".indexOf(c) >= 0;
        }

        /** What may follow a number, boolean, null or undefined: [~}\s)]. */
        private static boolean isLiteralLookahead(char c) {
            return isSpace(c) || c != '\0' && "~})".indexOf(c) >= 0;
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private static boolean isWordChar(char c) {
            return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
        }
    }
}
