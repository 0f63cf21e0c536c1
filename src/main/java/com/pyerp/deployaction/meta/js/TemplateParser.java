package com.pyerp.deployaction.meta.js;

import com.pyerp.deployaction.meta.js.Template.Call;
import com.pyerp.deployaction.meta.js.Template.Expression;
import com.pyerp.deployaction.meta.js.Template.Literal;
import com.pyerp.deployaction.meta.js.Template.Mustache;
import com.pyerp.deployaction.meta.js.Template.Node;
import com.pyerp.deployaction.meta.js.Template.Path;
import com.pyerp.deployaction.meta.js.Template.Text;
import com.pyerp.deployaction.meta.js.TemplateLexer.Kind;
import com.pyerp.deployaction.meta.js.TemplateLexer.Token;
import com.pyerp.deployaction.meta.js.WhitespaceControl.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Handlebars' parser for the statements it supports, then its whitespace control. */
final class TemplateParser {

    private final String source;
    private final TemplateLexer lexer;
    private final List<Statement> statements = new ArrayList<>();
    private int pos;

    TemplateParser(String source) {
        this.source = source;
        this.lexer = new TemplateLexer(source);
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
        WhitespaceControl.apply(statements);
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
        boolean stripBefore = lexer.charAt(p) == '~';
        if (stripBefore) {
            p++;
        }
        char c = lexer.charAt(p);
        if (c == '!') {
            comment(start, p);
            return;
        }
        int word = lexer.skipSpaces(p);
        if (c == '#' || c == '^' || c == '/'
                || source.startsWith("else", word) && !TemplateLexer.isWordChar(lexer.charAt(word + 4))) {
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
        statements.add(new Statement(null, null, comment.charAt(2) == '~',
                comment.charAt(comment.length() - 3) == '~'));
        pos = end;
    }

    /** name param* (key=param)*, the inside of a mustache or a sub-expression. */
    private Call call() {
        Expression head = helperName(next());
        List<Expression> params = new ArrayList<>();
        List<Map.Entry<String, Expression>> hash = new ArrayList<>();
        for (Token token = peek(); startsParam(token); token = peek()) {
            if (token.kind() == Kind.ID && lexer.token(token.end()).kind() == Kind.EQUALS) {
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
        return lexer.token(pos);
    }

    private Token next() {
        Token token = lexer.token(pos);
        pos = token.end();
        return token;
    }


    private IllegalArgumentException unexpected(Token token, String expected) {
        String found = token.kind() == Kind.EOF ? "the end" : "\"" + source.substring(token.start(), token.end()) + "\"";
        return error("expected " + expected + " but found " + found, token.start());
    }

    private IllegalArgumentException error(String problem, int at) {
        return new IllegalArgumentException("Invalid template \"" + source + "\": " + problem + " at offset " + at);
    }

}
