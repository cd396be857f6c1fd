using Mada.Cli.Metrics;

namespace Mada.Cli.Reporting;

/// <summary>
/// A comparison's result: each optimizer over the seeds, and each against the baseline on the
/// seeds they share (a paired comparison: at one seed both started from the same weights and saw
/// the same batches).
/// </summary>
/// <param name="Baseline">The optimizer the others are measured against.</param>
/// <param name="Seeds">The seeds run, in order.</param>
/// <param name="Optimizers">One result per optimizer, in the order of the runs.</param>
internal sealed record ComparisonSummary(string Baseline, IReadOnlyList<ulong> Seeds, IReadOnlyList<OptimizerResult> Optimizers)
{
    /// <summary>Groups <paramref name="runs"/> by optimizer (their label) and pairs each group with <paramref name="baseline"/>'s.</summary>
    /// <exception cref="ArgumentException">No run is of <paramref name="baseline"/>.</exception>
    public static ComparisonSummary Of(IReadOnlyList<RunSummary> runs, string baseline)
    {
        var groups = runs
            .GroupBy(run => run.Label)
            .Select(group => (Optimizer: group.Key, Runs: group.OrderBy(run => run.Seed).ToList()))
            .ToList();
        var baselineLoss = groups.SingleOrDefault(group => group.Optimizer == baseline).Runs?
            .ToDictionary(run => run.Seed, OptimizerResult.FinalEvalLoss)
            ?? throw new ArgumentException($"No run is of the baseline {baseline}.", nameof(baseline));

        var results = groups.Select(group =>
        {
            if (group.Optimizer == baseline)
            {
                return new OptimizerResult(group.Optimizer, group.Runs, null);
            }
            var paired = group.Runs.Where(run => baselineLoss.ContainsKey(run.Seed)).ToList();
            var versus = PairedComparison.Of(
                paired.Select(run => baselineLoss[run.Seed]).ToList(), paired.Select(OptimizerResult.FinalEvalLoss).ToList());
            return new OptimizerResult(group.Optimizer, group.Runs, versus);
        }).ToList();
        return new ComparisonSummary(baseline, runs.Select(run => run.Seed).Distinct().Order().ToList(), results);
    }
}
