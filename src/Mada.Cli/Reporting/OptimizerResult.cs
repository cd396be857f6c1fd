using Mada.Cli.Metrics;

namespace Mada.Cli.Reporting;

/// <summary>One optimizer of a comparison, over its seeds: what the table and the summary files report of it.</summary>
/// <param name="Optimizer">The optimizer's name.</param>
/// <param name="Runs">Its runs, one per seed, in seed order.</param>
/// <param name="VersusBaseline">Its final eval loss against the baseline's, seed by seed; null for the baseline itself.</param>
internal sealed record OptimizerResult(string Optimizer, IReadOnlyList<RunSummary> Runs, PairedComparison? VersusBaseline)
{
    public SampleStatistics TrainLoss => Over(run => run.TrainLoss);

    /// <summary>The final eval loss; a run without an evaluation counts as NaN, so that it is seen, not dropped.</summary>
    public SampleStatistics EvalLoss => Over(FinalEvalLoss);

    public SampleStatistics EvalAccuracy => Over(run => run.EvalAccuracy ?? double.NaN);

    public SampleStatistics Seconds => Over(run => run.Elapsed.TotalSeconds);

    /// <summary>The number a comparison ranks runs by: lower is better.</summary>
    public static double FinalEvalLoss(RunSummary run) => run.EvalLoss ?? double.NaN;

    private SampleStatistics Over(Func<RunSummary, double> value) => SampleStatistics.Of(Runs.Select(value).ToList());
}
