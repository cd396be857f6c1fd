namespace Mada.Cli.Metrics;

/// <summary>The numbers a comparison reports for one run.</summary>
/// <param name="Label">What the run is called in tables and legends (its optimizer).</param>
/// <param name="Steps">The last step logged.</param>
/// <param name="TrainLoss">Mean training loss over the last tenth of the steps: one batch's loss is too noisy to compare.</param>
/// <param name="EvalLoss">The last evaluation's loss, if any.</param>
/// <param name="EvalAccuracy">The last evaluation's accuracy, if any.</param>
/// <param name="Elapsed">Wall time of the run.</param>
internal sealed record RunSummary(string Label, long Steps, double TrainLoss, double? EvalLoss, double? EvalAccuracy, TimeSpan Elapsed)
{
    public static RunSummary Of(RunRecord record)
    {
        var rows = record.Steps;
        if (rows.Count == 0)
        {
            return new RunSummary(record.Run.Optimizer, 0, double.NaN, null, null, TimeSpan.Zero);
        }
        int tail = Math.Max(1, rows.Count / 10);
        double trainLoss = rows.Skip(rows.Count - tail).Average(row => row.Loss);
        var evaluated = rows.LastOrDefault(row => row.EvalLoss.HasValue);
        return new RunSummary(
            record.Run.Optimizer,
            rows[^1].Step,
            trainLoss,
            evaluated.EvalLoss,
            evaluated.EvalAccuracy,
            TimeSpan.FromSeconds(rows[^1].ElapsedSeconds));
    }
}
