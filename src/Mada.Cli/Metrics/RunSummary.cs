namespace Mada.Cli.Metrics;

/// <summary>The numbers a comparison reports for one run.</summary>
/// <param name="Label">What the run is called in tables and legends (its optimizer).</param>
/// <param name="Seed">The seed of its initialisation and batches.</param>
/// <param name="Steps">The last step logged.</param>
/// <param name="TotalSteps">The steps the run was set to take (fewer were logged if it was stopped).</param>
/// <param name="TrainLoss">Mean training loss over the last tenth of the steps: one batch's loss is too noisy to compare.</param>
/// <param name="EvalStep">The step of the last evaluation, if any: the final one (the whole held-out set) at <paramref name="TotalSteps"/>, else a periodic one.</param>
/// <param name="EvalLoss">The last evaluation's loss, if any.</param>
/// <param name="EvalAccuracy">The last evaluation's accuracy, if any.</param>
/// <param name="Elapsed">Wall time of the run.</param>
internal sealed record RunSummary(
    string Label, ulong Seed, long Steps, long TotalSteps, double TrainLoss, long? EvalStep, double? EvalLoss, double? EvalAccuracy, TimeSpan Elapsed)
{
    /// <summary>True when the evaluation shown is the final one, taken at the run's last step.</summary>
    public bool IsFinalEvaluation => EvalStep == TotalSteps;

    public static RunSummary Of(RunRecord record)
    {
        var rows = record.Steps;
        if (rows.Count == 0)
        {
            return new RunSummary(record.Run.Optimizer, record.Run.Seed, 0, record.Run.Steps, double.NaN, null, null, null, TimeSpan.Zero);
        }
        int tail = Math.Max(1, rows.Count / 10);
        double trainLoss = rows.Skip(rows.Count - tail).Average(row => row.Loss);
        MetricsRow? evaluated = rows.LastOrDefault(row => row.EvalLoss.HasValue) is { EvalLoss: not null } row ? row : null;
        return new RunSummary(
            record.Run.Optimizer,
            record.Run.Seed,
            rows[^1].Step,
            record.Run.Steps,
            trainLoss,
            evaluated?.Step,
            evaluated?.EvalLoss,
            evaluated?.EvalAccuracy,
            TimeSpan.FromSeconds(rows[^1].ElapsedSeconds));
    }
}
