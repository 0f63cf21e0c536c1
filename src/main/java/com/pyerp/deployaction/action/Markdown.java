package com.pyerp.deployaction.action;

import java.util.List;

/** The few Markdown shapes the job summary uses. */
public final class Markdown {

    private Markdown() {}

    public static String heading(String text) {
        return "### " + text + "\n\n";
    }

    /** A table; cells are escaped so that '|' and line breaks cannot break the layout. */
    public static String table(List<String> header, List<List<String>> rows) {
        StringBuilder table = new StringBuilder(row(header));
        table.append(row(header.stream().map(h -> "---").toList()));
        rows.forEach(r -> table.append(row(r)));
        return table.append('\n').toString();
    }

    public static String code(String text) {
        return text.isEmpty() ? "" : "`" + text.replace("`", "'") + "`";
    }

    private static String row(List<String> cells) {
        return "| " + String.join(" | ", cells.stream().map(Markdown::cell).toList()) + " |\n";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\r", "").replace("\n", "<br>");
    }
}
