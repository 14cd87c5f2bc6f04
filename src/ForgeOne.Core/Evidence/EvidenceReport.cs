using System.Globalization;
using System.Net;
using System.Text;
using ForgeOne.Core.Drills;

namespace ForgeOne.Core.Evidence;

/// <summary>
/// <c>report.html</c>: one self-contained page an auditor opens offline — summary, control table, the backup timeline
/// with the recovery point against its objective, and the drills' recovery time trend, drawn as inline SVG. No
/// scripts, fonts or links to anything outside the file.
/// </summary>
internal static class EvidenceReport
{
    private const int Width = 760;
    private const int Height = 180;
    private const int Margin = 40;

    internal static string Render(EvidenceManifest manifest, IReadOnlyList<InventoryRow> snapshots, IReadOnlyList<DrDrillResult> drills,
        IReadOnlyList<ControlResult> controls, TimeSpan? rpoObjective)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>ForgeOne evidence ")
            .Append(Day(manifest.From)).Append(" to ").Append(Day(manifest.To)).Append("</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2em;color:#1b1f24;background:#fff}h1{font-size:1.5em}")
            .Append("table{border-collapse:collapse;width:100%;margin:1em 0}td,th{border:1px solid #c8ccd0;padding:.35em .5em;text-align:left;vertical-align:top;font-size:.9em}")
            .Append("th{background:#eef1f4}.Satisfied{background:#d9f2dc}.Partial{background:#fff1c2}.NoEvidence{background:#f9d4d4}")
            .Append(".cards{display:flex;gap:1em}.card{border:1px solid #c8ccd0;border-radius:6px;padding:.8em 1.2em}.card b{font-size:1.6em;display:block}")
            .Append("</style></head><body>");
        html.Append("<h1>Backup and recovery evidence</h1><p>Repository <code>").Append(Encode(manifest.Repository)).Append("</code>, period ")
            .Append(Day(manifest.From)).Append(" to ").Append(Day(manifest.To)).Append(", made ").Append(manifest.Created.ToString("u", CultureInfo.InvariantCulture))
            .Append(". Manifest signed with Ed25519 key <code>").Append(manifest.PublicKey).Append("</code>.</p>");

        var satisfied = controls.Count(control => control.Status == ControlStatus.Satisfied);
        html.Append("<div class=\"cards\">")
            .Append(Card("snapshots", snapshots.Count.ToString(CultureInfo.InvariantCulture)))
            .Append(Card("drills passed", string.Create(CultureInfo.InvariantCulture, $"{drills.Count(drill => drill.Passed)} / {drills.Count}")))
            .Append(Card("controls satisfied", string.Create(CultureInfo.InvariantCulture, $"{satisfied} / {controls.Count}")))
            .Append("</div>");

        html.Append("<h2>Controls</h2><table><tr><th>Framework</th><th>Control</th><th>ISO 27001:2013</th><th>Title</th><th>Status</th><th>Evidence</th></tr>");
        foreach (var control in controls)
        {
            html.Append("<tr><td>").Append(Encode(control.Framework)).Append("</td><td>").Append(Encode(control.Control)).Append("</td><td>")
                .Append(Encode(control.Iso2013 ?? "")).Append("</td><td>").Append(Encode(control.Title)).Append("</td><td class=\"")
                .Append(control.Status).Append("\">").Append(control.Status).Append("</td><td>").Append(Encode(control.Evidence)).Append("</td></tr>");
        }

        html.Append("</table><h2>Backup timeline and recovery point</h2>");
        html.Append(Timeline(manifest.From, manifest.To, snapshots, rpoObjective));
        html.Append("<h2>Drill recovery time</h2>");
        html.Append(RtoTrend(manifest.From, manifest.To, drills));
        html.Append("<p>Verify this package offline with <code>Test-ForgeEvidence -Path &lt;zip&gt;</code> or <code>forge evidence verify &lt;zip&gt;</code>.</p></body></html>");
        return html.ToString();
    }

    private static string Timeline(DateTimeOffset from, DateTimeOffset to, IReadOnlyList<InventoryRow> snapshots, TimeSpan? objective)
    {
        // Bars: the recovery point just before each backup, i.e. the time since the previous one.
        var ordered = snapshots.OrderBy(snapshot => snapshot.EndTime).ToList();
        var gaps = ordered.Zip(ordered.Skip(1), (earlier, later) => (Time: later.EndTime, Hours: (later.EndTime - earlier.EndTime).TotalHours)).ToList();
        var maxHours = Math.Max(1, Math.Max(gaps.Count == 0 ? 0 : gaps.Max(gap => gap.Hours), objective?.TotalHours ?? 0) * 1.1);
        var svg = new StringBuilder(Svg("Backups over the period; bars show hours since the previous backup"));
        Axis(svg, from, to, maxHours, "hours since previous backup");
        foreach (var snapshot in ordered)
        {
            svg.Append(string.Create(CultureInfo.InvariantCulture, $"<circle cx=\"{X(snapshot.EndTime, from, to):0.#}\" cy=\"{Height - Margin + 8}\" r=\"3\" fill=\"#2f6fbd\"><title>{Encode(snapshot.Id[..8])} {snapshot.EndTime:u}</title></circle>"));
        }

        foreach (var (time, hours) in gaps)
        {
            var y = Y(hours, maxHours);
            var over = objective is { } limit && hours > limit.TotalHours;
            svg.Append(string.Create(CultureInfo.InvariantCulture,
                $"<rect x=\"{X(time, from, to) - 2:0.#}\" y=\"{y:0.#}\" width=\"4\" height=\"{Height - Margin - y:0.#}\" fill=\"{(over ? "#c0392b" : "#7fb069")}\"><title>{hours:0.#} h before {time:u}</title></rect>"));
        }

        if (objective is { } rpo)
        {
            var y = Y(rpo.TotalHours, maxHours);
            svg.Append(string.Create(CultureInfo.InvariantCulture, $"<line x1=\"{Margin}\" x2=\"{Width - Margin}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#c0392b\" stroke-dasharray=\"6 4\"/><text x=\"{Width - Margin}\" y=\"{y - 4:0.#}\" text-anchor=\"end\" font-size=\"11\" fill=\"#c0392b\">RPO objective {rpo.TotalHours:0.#} h</text>"));
        }

        return svg.Append("</svg>").ToString();
    }

    private static string RtoTrend(DateTimeOffset from, DateTimeOffset to, IReadOnlyList<DrDrillResult> drills)
    {
        var ordered = drills.OrderBy(drill => drill.Time).ToList();
        var maxSeconds = Math.Max(1, ordered.Count == 0 ? 1 : ordered.Max(drill => Math.Max(drill.Rto.TotalSeconds, drill.RtoObjective?.TotalSeconds ?? 0)) * 1.1);
        var svg = new StringBuilder(Svg("Recovery time measured by each drill"));
        Axis(svg, from, to, maxSeconds, "seconds to recover");
        var points = ordered.Select(drill => (X: X(drill.Time, from, to), Y: Y(drill.Rto.TotalSeconds, maxSeconds), drill)).ToList();
        if (points.Count > 1)
        {
            svg.Append("<polyline fill=\"none\" stroke=\"#2f6fbd\" stroke-width=\"2\" points=\"")
                .Append(string.Join(' ', points.Select(point => string.Create(CultureInfo.InvariantCulture, $"{point.X:0.#},{point.Y:0.#}")))).Append("\"/>");
        }

        foreach (var (x, y, drill) in points)
        {
            svg.Append(string.Create(CultureInfo.InvariantCulture,
                $"<circle cx=\"{x:0.#}\" cy=\"{y:0.#}\" r=\"4\" fill=\"{(drill.Passed ? "#2e8540" : "#c0392b")}\"><title>{drill.Id}: {drill.Rto.TotalSeconds:0.###} s, {(drill.Passed ? "passed" : "failed")}</title></circle>"));
        }

        if (points.Count == 0)
        {
            svg.Append(string.Create(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"{Height / 2}\" text-anchor=\"middle\" fill=\"#c0392b\">No drills in the period</text>"));
        }

        return svg.Append("</svg>").ToString();
    }

    private static string Svg(string label) => string.Create(CultureInfo.InvariantCulture,
        $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{Encode(label)}\"><rect width=\"{Width}\" height=\"{Height}\" fill=\"#fafbfc\"/>");

    private static void Axis(StringBuilder svg, DateTimeOffset from, DateTimeOffset to, double max, string unit)
    {
        svg.Append(string.Create(CultureInfo.InvariantCulture,
            $"<line x1=\"{Margin}\" y1=\"{Height - Margin}\" x2=\"{Width - Margin}\" y2=\"{Height - Margin}\" stroke=\"#555\"/><line x1=\"{Margin}\" y1=\"10\" x2=\"{Margin}\" y2=\"{Height - Margin}\" stroke=\"#555\"/>"));
        svg.Append(string.Create(CultureInfo.InvariantCulture,
            $"<text x=\"{Margin}\" y=\"{Height - 8}\" font-size=\"11\">{Day(from)}</text><text x=\"{Width - Margin}\" y=\"{Height - 8}\" font-size=\"11\" text-anchor=\"end\">{Day(to)}</text>"));
        svg.Append(string.Create(CultureInfo.InvariantCulture,
            $"<text x=\"{Margin + 4}\" y=\"20\" font-size=\"11\">{max:0.#} {Encode(unit)}</text>"));
    }

    private static double X(DateTimeOffset time, DateTimeOffset from, DateTimeOffset to)
    {
        var span = Math.Max(1, (to - from).TotalSeconds);
        return Margin + (Math.Clamp((time - from).TotalSeconds / span, 0, 1) * (Width - (2 * Margin)));
    }

    private static double Y(double value, double max) => Height - Margin - (Math.Clamp(value / max, 0, 1) * (Height - Margin - 24));

    private static string Card(string label, string value) => $"<div class=\"card\"><b>{Encode(value)}</b>{Encode(label)}</div>";

    private static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
