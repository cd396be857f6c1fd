using Spectre.Console;

namespace Mada.Cli.Reporting;

/// <summary>The comparison table: one row per optimizer, mean ± sample standard deviation where there are several seeds.</summary>
internal static class ResultTable
{
    public static Table Create(ComparisonSummary summary)
    {
        string baseline = Markup.Escape(summary.Baseline);
        var table = new Table()
            .Border(TableBorder.Rounded)
            .AddColumn("optimizer")
            .AddColumn(new TableColumn("final train loss").RightAligned())
            .AddColumn(new TableColumn("eval loss").RightAligned())
            .AddColumn(new TableColumn("eval accuracy").RightAligned())
            .AddColumn(new TableColumn($"eval loss - {baseline}").RightAligned())
            .AddColumn(new TableColumn($"seeds won vs {baseline}").RightAligned())
            .AddColumn(new TableColumn("time").RightAligned());
        foreach (var result in summary.Optimizers)
        {
            table.AddRow(
                Markup.Escape(result.Optimizer),
                result.TrainLoss.ToString("F4"),
                result.EvalLoss.ToString("F4"),
                result.EvalAccuracy.ToString("P2"),
                result.VersusBaseline?.Difference.ToString("F4", signed: true) ?? "baseline",
                result.VersusBaseline is { } versus ? Wins(versus) : "-",
                FormatTime(TimeSpan.FromSeconds(result.Seconds.Mean)));
        }
        table.Caption(Markup.Escape(Caption(summary)));
        return table;
    }

    private static string Wins(PairedComparison versus) =>
        $"{versus.Wins} of {versus.Count}" + (versus.Ties > 0 ? $" ({versus.Ties} tied)" : string.Empty);

    private static string Caption(ComparisonSummary summary)
    {
        string seeds = summary.Seeds.Count == 1
            ? $"seed {summary.Seeds[0]}"
            : $"mean ± sample standard deviation over seeds {string.Join(", ", summary.Seeds)}; time: mean per run";
        return $"{seeds}. final train loss: mean over the last tenth of the steps; eval: the whole held-out set; " +
            $"eval loss - {summary.Baseline}: the difference, seed by seed, to the baseline's; won: a lower final eval loss";
    }

    /// <summary>"1m 05s", or "4.2s" under a minute.</summary>
    public static string FormatTime(TimeSpan time) =>
        time.TotalMinutes >= 1 ? $"{(int)time.TotalMinutes}m {time.Seconds:D2}s" : $"{time.TotalSeconds:F1}s";
}
