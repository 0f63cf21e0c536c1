package com.pyerp.deployaction.meta.js;

/** Handlebars' lexer for the inside of a mustache: the token at an offset, in its rules' order. */
final class TemplateLexer {

    enum Kind { OPEN_SEXPR, CLOSE_SEXPR, EQUALS, ID, SEP, STRING, NUMBER, BOOLEAN, NULLISH, DATA, CLOSE,
        CLOSE_UNESCAPED, INVALID, EOF }

    /** A lexer token; text is an ID's name or a string's value, bracketed tells a [literal] ID segment. */
    record Token(Kind kind, String text, int start, int end, boolean bracketed) {}

    private static final String[] KEYWORDS = {"true", "false", "undefined", "null"};

    private final String source;

    TemplateLexer(String source) {
        this.source = source;
    }

    /** The token at {@code p}, by Handlebars' lexer rules for the inside of a mustache, in their order. */
    Token token(int p) {
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

    int skipSpaces(int p) {
        while (p < source.length() && isSpace(source.charAt(p))) {
            p++;
        }
        return p;
    }

    char charAt(int p) {
        return p < source.length() ? source.charAt(p) : '\0';
    }

    /** JavaScript's \s. */
    static boolean isSpace(char c) {
        return c == ' ' || c >= '\t' && c <= '\r' || c == '\u00a0' || c == '\u1680' || c >= '\u2000' && c <= '\u200a'
                || c == '\u2028' || c == '\u2029' || c == '\u202f' || c == '\u205f' || c == '\u3000' || c == '\ufeff';
    }

    static boolean isIdChar(char c) {
        return !isSpace(c) && "!\"#%&'()*+,./;<=>@[\\]^`{|}~".indexOf(c) < 0;
    }

    /** What may follow an ID: [=~}\s\/.)|]. */
    static boolean isLookahead(char c) {
        return isSpace(c) || c != '\0' && "=~}/.)|".indexOf(c) >= 0;
    }

    /** What may follow a number, boolean, null or undefined: [~}\s)]. */
    static boolean isLiteralLookahead(char c) {
        return isSpace(c) || c != '\0' && "~})".indexOf(c) >= 0;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isWordChar(char c) {
        return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
    }
}
