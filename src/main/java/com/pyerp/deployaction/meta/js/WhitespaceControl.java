package com.pyerp.deployaction.meta.js;

import com.pyerp.deployaction.meta.js.Template.Mustache;
import java.util.List;

/**
 * Handlebars' WhitespaceControl on the root program: "~" strips all whitespace on its side, and a comment alone on
 * its line takes the line's indentation and line break with it.
 */
final class WhitespaceControl {

    /** A top-level statement while whitespace control runs: content, a comment or a mustache. */
    static final class Statement {
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

    private final List<Statement> statements;

    private WhitespaceControl(List<Statement> statements) {
        this.statements = statements;
    }

    /** Strips the statements' content in place. */
    static void apply(List<Statement> statements) {
        new WhitespaceControl(statements).run();
    }

    private void run() {
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
        while (blank > 0 && TemplateLexer.isSpace(text.charAt(blank - 1))) {
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
        while (blank < text.length() && TemplateLexer.isSpace(text.charAt(blank))) {
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
            while (start < value.length() && TemplateLexer.isSpace(value.charAt(start))) {
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
        while (end > 0 && (all ? TemplateLexer.isSpace(value.charAt(end - 1)) : value.charAt(end - 1) == ' '
                || value.charAt(end - 1) == '\t')) {
            end--;
        }
        previous.value = value.substring(0, end);
        previous.leftStripped = end < value.length();
    }
}
