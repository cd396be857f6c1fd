using Mada.Cli.Metrics;
using Spectre.Console;

namespace Mada.Cli.Reporting;

/// <summary>The comparison table: one row per run.</summary>
internal static class ResultTable
{
    public static Table Create(IEnumerable<RunSummary> runs)
    {
        var table = new Table()
            .Border(TableBorder.Rounded)
            .AddColumn("optimizer")
            .AddColumn(new TableColumn("final train loss").RightAligned())
            .AddColumn(new TableColumn("eval loss").RightAligned())
            .AddColumn(new TableColumn("eval accuracy").RightAligned())
            .AddColumn(new TableColumn("time").RightAligned());
        foreach (var run in runs)
        {
            table.AddRow(
                Markup.Escape(run.Label),
                run.TrainLoss.ToString("F4"),
                run.EvalLoss?.ToString("F4") ?? "-",
                run.EvalAccuracy is { } accuracy ? $"{accuracy:P2}" : "-",
                FormatTime(run.Elapsed));
        }
        table.Caption("final train loss: mean over the last tenth of the steps; eval: the whole held-out set");
        return table;
    }

    private static string FormatTime(TimeSpan time) =>
        time.TotalMinutes >= 1 ? $"{(int)time.TotalMinutes}m {time.Seconds:D2}s" : $"{time.TotalSeconds:F1}s";
}
