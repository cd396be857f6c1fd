using Mada.Cli.Reporting;

namespace Mada.Cli.Tests.Reporting;

/// <summary>A candidate against a baseline, seed by seed, where lower is better.</summary>
public sealed class PairedComparisonTests
{
    /// <summary>Differences -0.5, 0.5, -1: mean -1/3, squared deviations 1/36 + 25/36 + 16/36 = 42/36, over n - 1 = 2.</summary>
    [Fact]
    public void TheDifferenceIsCandidateMinusBaselineSeedBySeed()
    {
        var paired = PairedComparison.Of(baseline: [1.0, 2.0, 3.0], candidate: [0.5, 2.5, 2.0]);

        Assert.Equal(-1.0 / 3, paired.Difference.Mean, StatisticsPrecision.Digits);
        Assert.Equal(Math.Sqrt(42.0 / 36 / 2), paired.Difference.StandardDeviation!.Value, StatisticsPrecision.Digits);
        Assert.Equal((2, 0, 1, 3), (paired.Wins, paired.Ties, paired.Losses, paired.Count));
    }

    /// <summary>
    /// Paired, not pooled: the candidate is 0.1 better at every seed, which the spread of the
    /// differences (none) shows, while each optimizer's own spread over the seeds is large.
    /// </summary>
    [Fact]
    public void AConstantImprovementHasNoSpreadHoweverMuchTheSeedsDiffer()
    {
        var paired = PairedComparison.Of(baseline: [1.0, 3.0, 5.0], candidate: [0.9, 2.9, 4.9]);

        Assert.Equal(-0.1, paired.Difference.Mean, StatisticsPrecision.Digits);
        Assert.Equal(0, paired.Difference.StandardDeviation!.Value, StatisticsPrecision.Digits);
        Assert.Equal(3, paired.Wins);
    }

    /// <summary>An equal loss is a tie: neither a win nor a loss.</summary>
    [Fact]
    public void EqualValuesTie()
    {
        var paired = PairedComparison.Of(baseline: [1.0, 2.0, 0.5], candidate: [1.0, 2.5, 0.5]);

        Assert.Equal((0, 2, 1), (paired.Wins, paired.Ties, paired.Losses));
    }

    /// <summary>A diverged run (NaN) loses to any number, and two diverged runs tie.</summary>
    [Fact]
    public void NaNLosesToAnyNumberAndTiesWithNaN()
    {
        var beatsNaN = PairedComparison.Of(baseline: [double.NaN, double.NaN, 1.0], candidate: [2.0, double.NaN, 0.5]);
        var losesAsNaN = PairedComparison.Of(baseline: [2.0], candidate: [double.NaN]);

        Assert.Equal((2, 1, 0), (beatsNaN.Wins, beatsNaN.Ties, beatsNaN.Losses));
        Assert.Equal((0, 0, 1), (losesAsNaN.Wins, losesAsNaN.Ties, losesAsNaN.Losses));
    }

    [Fact]
    public void OneSeedIsOneWinWithNoSpread()
    {
        var paired = PairedComparison.Of(baseline: [0.75], candidate: [0.5]);

        Assert.Equal(new SampleStatistics(1, -0.25, null), paired.Difference);
        Assert.Equal((1, 1), (paired.Wins, paired.Count));
    }

    [Fact]
    public void ASeedWithoutAPartnerIsRefused()
    {
        Assert.Throws<ArgumentException>(() => PairedComparison.Of(baseline: [1.0, 2.0], candidate: [1.0]));
    }
}
