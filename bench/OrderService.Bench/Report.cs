using System.Globalization;
using System.Text;

namespace OrderService.Bench;

/// <summary>One line of a results table. Numbers are null where they do not apply.</summary>
public sealed record Row(
    string Scenario,
    string Calls,
    double? Rate,
    double? P50,
    double? P99,
    double? RatioToB0,
    string Errors,
    string Target,
    string Notes);

/// <summary>The results of one database at one size.</summary>
public sealed class Section(string database, int orders)
{
    public string Database { get; } = database;

    public int Orders { get; } = orders;

    public List<Row> Rows { get; } = [];

    public List<string> Notes { get; } = [];

    public string Title => $"{Database}, {Orders:N0} orders";
}

/// <summary>Prints the tables as aligned text and writes them as Markdown.</summary>
public static class Report
{
    private static readonly string[] Headers = ["Scenario", "Calls", "Calls/s", "p50 ms", "p99 ms", "x B0", "Errors", "Target (issue 8)", "Notes"];

    public static string Number(double? value) => value switch
    {
        null => "-",
        double v when double.IsNaN(v) => "-",
        >= 1000 => value.Value.ToString("N0", CultureInfo.InvariantCulture),
        >= 100 => value.Value.ToString("N0", CultureInfo.InvariantCulture),
        >= 10 => value.Value.ToString("N1", CultureInfo.InvariantCulture),
        >= 1 => value.Value.ToString("N2", CultureInfo.InvariantCulture),
        _ => value.Value.ToString("G2", CultureInfo.InvariantCulture),
    };

    public static string Ratio(double? value) => value switch
    {
        null => "-",
        double v when double.IsNaN(v) => "-",
        >= 0.1 => value.Value.ToString("N2", CultureInfo.InvariantCulture),
        _ => value.Value.ToString("G2", CultureInfo.InvariantCulture),
    };

    private static string[] Cells(Row row) =>
    [
        row.Scenario, row.Calls, Number(row.Rate), Number(row.P50), Number(row.P99), Ratio(row.RatioToB0), row.Errors, row.Target, row.Notes,
    ];

    public static string Text(Section section)
    {
        var rows = section.Rows.Select(Cells).ToList();
        // The notes column is last and not padded.
        var widths = Enumerable.Range(0, Headers.Length - 1)
            .Select(i => Math.Max(Headers[i].Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length)))
            .ToArray();
        var text = new StringBuilder();
        text.AppendLine($"== {section.Title}");
        void Line(string[] cells)
        {
            for (var i = 0; i < cells.Length - 1; i++)
            {
                var numeric = i is >= 1 and <= 5;
                text.Append(numeric ? cells[i].PadLeft(widths[i]) : cells[i].PadRight(widths[i])).Append("  ");
            }

            text.AppendLine(cells[^1]);
        }

        Line(Headers);
        Line(widths.Select(w => new string('-', w)).Append("-----").ToArray());
        foreach (var row in rows)
        {
            Line(row);
        }

        foreach (var note in section.Notes)
        {
            text.AppendLine($"  * {note}");
        }

        return text.ToString();
    }

    public static string Markdown(Section section)
    {
        var text = new StringBuilder();
        text.AppendLine($"#### {section.Title}").AppendLine();
        text.AppendLine($"| {string.Join(" | ", Headers)} |");
        text.AppendLine($"|{string.Join("|", Headers.Select((_, i) => i is >= 1 and <= 5 ? "---:" : "---"))}|");
        foreach (var row in section.Rows)
        {
            text.AppendLine($"| {string.Join(" | ", Cells(row).Select(c => c.Replace("|", "\\|")))} |");
        }

        if (section.Notes.Count > 0)
        {
            text.AppendLine();
            foreach (var note in section.Notes)
            {
                text.AppendLine($"- {note}");
            }
        }

        return text.AppendLine().ToString();
    }

    /// <summary>Writes <paramref name="content"/> to the file, or between its
    /// <c>&lt;!-- bench:begin --&gt;</c> and <c>&lt;!-- bench:end --&gt;</c> markers when it
    /// has them.</summary>
    public static void WriteMarkdown(string file, string content)
    {
        const string Begin = "<!-- bench:begin -->";
        const string End = "<!-- bench:end -->";
        if (File.Exists(file))
        {
            var existing = File.ReadAllText(file);
            var begin = existing.IndexOf(Begin, StringComparison.Ordinal);
            var end = existing.IndexOf(End, StringComparison.Ordinal);
            if (begin >= 0 && end > begin)
            {
                File.WriteAllText(file, existing[..(begin + Begin.Length)] + "\n" + content + existing[end..]);
                return;
            }
        }

        File.WriteAllText(file, content);
    }
}
