using Mada.Cli.Metrics;
using Mada.Cli.Reporting;

namespace Mada.Cli.Tests.Reporting;

/// <summary>A comparison's runs grouped by optimizer and paired with the baseline's by seed.</summary>
public sealed class ComparisonSummaryTests
{
    [Fact]
    public void RunsArePairedWithTheBaselinesOfTheSameSeed()
    {
        RunSummary[] runs =
        [
            Run("mada", seed: 1, evalLoss: 0.4), Run("adam", seed: 0, evalLoss: 1.0),
            Run("mada", seed: 0, evalLoss: 0.9), Run("adam", seed: 1, evalLoss: 0.5),
        ];

        var summary = ComparisonSummary.Of(runs, baseline: "adam");

        Assert.Equal([0UL, 1UL], summary.Seeds);
        Assert.Equal(["mada", "adam"], summary.Optimizers.Select(result => result.Optimizer));
        var mada = summary.Optimizers[0];
        Assert.Equal([0UL, 1UL], mada.Runs.Select(run => run.Seed));
        // Seed by seed 0.9 - 1.0 and 0.4 - 0.5; in the order the runs came, 0.4 - 1.0 and 0.9 - 0.5.
        Assert.Equal((2, 0, 0), (mada.VersusBaseline!.Wins, mada.VersusBaseline.Ties, mada.VersusBaseline.Losses));
        Assert.Equal(-0.1, mada.VersusBaseline.Difference.Mean, StatisticsPrecision.Digits);
        Assert.Equal(0.65, mada.EvalLoss.Mean, StatisticsPrecision.Digits);
        Assert.Null(summary.Optimizers[1].VersusBaseline);
    }

    [Fact]
    public void ABaselineWithoutRunsIsRefused()
    {
        Assert.Throws<ArgumentException>(() => ComparisonSummary.Of([Run("mada", 0, 1.0)], baseline: "adam"));
    }

    private static RunSummary Run(string optimizer, ulong seed, double evalLoss) =>
        new(optimizer, seed, 10, 10, evalLoss + 0.1, 10, evalLoss, 0.5, TimeSpan.FromSeconds(1));
}
