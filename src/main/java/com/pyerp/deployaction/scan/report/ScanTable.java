package com.pyerp.deployaction.scan.report;

import com.pyerp.deployaction.action.Markdown;
import com.pyerp.deployaction.results.Severity;
import com.pyerp.deployaction.scan.osv.Finding;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Trivy's vulnerability table: package, vulnerability, severity, status, installed, fixed, title; and totals. */
public final class ScanTable {

    static final List<String> HEADER = List.of("Package", "Vulnerability", "Severity", "Status", "Installed", "Fixed", "Title");
    private static final int TITLE_WIDTH = 60;

    private ScanTable() {}

    public static List<List<String>> rows(List<Finding> findings) {
        List<List<String>> rows = new ArrayList<>();
        for (Finding finding : findings) {
            rows.add(List.of(finding.pkg().name(), finding.id(), finding.severity().name(),
                    finding.fixable() ? "fixed" : "affected", finding.pkg().version(), finding.fixed().orElse(""),
                    finding.title()));
        }
        return rows;
    }

    /** {@code Total: 3 (UNKNOWN: 0, LOW: 0, MEDIUM: 1, HIGH: 2, CRITICAL: 0)} */
    public static String totals(List<Finding> findings) {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Severity severity : Severity.values()) {
            counts.put(severity, 0);
        }
        findings.forEach(finding -> counts.merge(finding.severity(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        counts.forEach((severity, count) -> parts.add(severity + ": " + count));
        return "Total: " + findings.size() + " (" + String.join(", ", parts) + ")";
    }

    /** Fixed-width text for the log. */
    public static List<String> text(List<Finding> findings) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (List<String> row : rows(findings)) {
            List<String> cells = new ArrayList<>(row);
            String title = cells.get(6);
            cells.set(6, title.length() > TITLE_WIDTH ? title.substring(0, TITLE_WIDTH - 1) + "…" : title);
            rows.add(cells);
        }
        int[] widths = new int[HEADER.size()];
        rows.forEach(row -> {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        });
        List<String> lines = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                String cell = rows.get(r).get(i);
                line.append(i == widths.length - 1 ? cell : String.format("%-" + widths[i] + "s  ", cell));
            }
            lines.add(line.toString().stripTrailing());
            if (r == 0) {
                StringBuilder rule = new StringBuilder();
                for (int width : widths) {
                    rule.append("-".repeat(width)).append("  ");
                }
                lines.add(rule.toString().stripTrailing());
            }
        }
        return lines;
    }

    public static String markdown(List<Finding> findings) {
        return Markdown.table(HEADER, rows(findings));
    }
}
