package dev.pricelake.verifier;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.core.recent.RetentionWindow;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** The verification report as JSON (everything) and as an HTML picture of coverage a person can open. */
final class VerifyOutput {
    private VerifyOutput() {
    }

    static ObjectNode json(LakeVerifier.Report report) {
        ObjectNode root = Events.object();
        root.put("as_of", report.asOf().toString());
        root.put("clean", report.clean());
        ObjectNode totals = root.putObject("totals");
        report.totals().forEach(totals::put);
        ArrayNode notes = root.putArray("notes");
        report.notes().forEach(notes::add);
        ArrayNode symbols = root.putArray("symbols");
        for (LakeVerifier.SymbolReport s : report.symbols()) {
            ObjectNode node = symbols.addObject();
            node.put("symbol", s.symbol());
            node.put("bars", s.bars());
            node.put("first", s.first() == null ? null : s.first().toString());
            node.put("last", s.last() == null ? null : s.last().toString());
            node.put("defects", s.defects());
            findings(node, "unreadable", s.unreadableFile());
            findings(node, "missing_sessions", s.missingSessions());
            findings(node, "invalid_bars", s.invalidBars());
            findings(node, "duplicate_dates", s.duplicateDates());
            findings(node, "splits_not_applied", s.splitsNotApplied());
            findings(node, "postgres_diffs", s.postgresDiffs());
            findings(node, "silver_diffs", s.silverDiffs());
            node.put("known_halts", s.knownHalts());
            node.put("warnings", s.warnings());
            findings(node, "large_moves", s.largeMoves());
            findings(node, "volume_jumps", s.volumeJumps());
        }
        MinuteVerifier.Result minutes = report.minutes();
        if (!minutes.symbols().isEmpty()) {
            ObjectNode section = root.putObject("minutes");
            section.put("times", "New York");
            section.put("every_minute_share", MinuteVerifier.EVERY_MINUTE);
            if (minutes.postgresChecked()) {
                section.put("postgres_from", minutes.window().cutoff().toString());
                section.put(RetentionWindow.MINUTE_DAYS_FIELD, minutes.window().keep().getDays());
            }
            ArrayNode list = section.putArray("symbols");
            for (MinuteVerifier.SymbolReport s : minutes.symbols()) {
                ObjectNode node = list.addObject();
                node.put("symbol", s.symbol());
                node.put("files", s.files());
                node.put("minutes", s.minutes());
                node.put("first", s.first());
                node.put("last", s.last());
                node.put("every_minute_months", s.everyMinuteMonths());
                node.put("missing_minutes", s.missingMinutes());
                node.put("defects", s.defects());
                findings(node, "unreadable", s.unreadableFiles());
                findings(node, "gaps", s.gaps());
                findings(node, "invalid_minutes", s.invalidMinutes());
                findings(node, "duplicate_minutes", s.duplicateMinutes());
                findings(node, "misplaced_minutes", s.misplacedMinutes());
                findings(node, "postgres_diffs", s.postgresDiffs());
            }
        }
        return root;
    }

    private static void findings(ObjectNode node, String name, LakeVerifier.Findings f) {
        ObjectNode out = node.putObject(name);
        out.put("count", f.count());
        ArrayNode examples = out.putArray("examples");
        f.examples().forEach(examples::add);
    }

    /** Symbols down, months across; a full month is green, a month with missing sessions is red. */
    static String html(LakeVerifier.Report report) {
        TreeSet<Integer> months = new TreeSet<>();
        report.symbols().forEach(s -> months.addAll(s.coverage().keySet()));
        StringBuilder h = new StringBuilder();
        h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>pricelake coverage as of ")
                .append(report.asOf()).append("</title><style>")
                .append("body{font:13px sans-serif;margin:16px}table{border-collapse:collapse}")
                .append("td{width:7px;height:12px;padding:0;border:1px solid #fff}td.s{width:auto;padding:0 6px;white-space:nowrap}")
                .append(".full{background:#3a3}.gap{background:#d33}.none{background:#eee}.bad{color:#d33;font-weight:bold}")
                .append("th{font-weight:normal;font-size:10px;text-align:left}</style></head><body>");
        Map<String, Long> totals = report.totals();
        h.append("<h1>Lake coverage as of ").append(report.asOf()).append("</h1><p>")
                .append(report.clean() ? "Clean: no defect found." : "Defects found.").append(' ');
        totals.forEach((k, v) -> h.append(escape(k.replace('_', ' '))).append(": ").append(v).append(". "));
        h.append("</p><p>Green: every session of the month has a bar. Red: sessions missing (hover for the count)."
                + " Grey: before the symbol's first or after its last bar. Symbols in red have defects; see report.json.</p>");
        for (String note : report.notes()) {
            h.append("<p>").append(escape(note)).append("</p>");
        }
        h.append("<table><tr><th></th>");
        for (int m : months) {
            h.append("<th>").append(m % 12 == 0 ? String.valueOf(m / 12) : "").append("</th>");
        }
        h.append("</tr>");
        for (LakeVerifier.SymbolReport s : report.symbols()) {
            h.append("<tr><td class=\"s").append(s.defects() > 0 ? " bad" : "").append("\" title=\"")
                    .append(escape(summary(s))).append("\">").append(escape(s.symbol())).append("</td>");
            for (int m : months) {
                int[] cell = s.coverage().get(m);
                String label = String.format(Locale.ROOT, "%s %04d-%02d", s.symbol(), m / 12, m % 12 + 1);
                if (cell == null) {
                    h.append("<td class=\"none\" title=\"").append(escape(label)).append(": no bars expected\"></td>");
                } else {
                    h.append("<td class=\"").append(cell[1] == cell[0] ? "full" : "gap").append("\" title=\"")
                            .append(escape(label)).append(": ").append(cell[1]).append(" of ").append(cell[0])
                            .append(" sessions\"></td>");
                }
            }
            h.append("</tr>");
        }
        return h.append("</table></body></html>\n").toString();
    }

    private static String summary(LakeVerifier.SymbolReport s) {
        if (s.unreadableFile().count() > 0) {
            return s.unreadableFile().examples().getFirst();
        }
        return String.format(Locale.ROOT, "%d bars %s..%s; missing %d (known halts %d), invalid %d, duplicates %d, splits not"
                        + " applied %d, PostgreSQL %d, silver %d; large moves %d, volume jumps %d", s.bars(), s.first(), s.last(),
                s.missingSessions().count(), s.knownHalts(), s.invalidBars().count(), s.duplicateDates().count(),
                s.splitsNotApplied().count(), s.postgresDiffs().count(), s.silverDiffs().count(), s.largeMoves().count(),
                s.volumeJumps().count());
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
