using Mada.Cli.Reporting;

namespace Mada.Cli.Tests.Reporting;

/// <summary>Mean and sample standard deviation on numbers whose answers are known by hand.</summary>
public sealed class SampleStatisticsTests
{
    /// <summary>Squared deviations from the mean 5 sum to 32: the sample deviation is sqrt(32 / 7), where dividing by n would give 2.</summary>
    [Fact]
    public void TheDeviationDividesByCountLessOne()
    {
        var statistics = SampleStatistics.Of([2, 4, 4, 4, 5, 5, 7, 9]);

        Assert.Equal(8, statistics.Count);
        Assert.Equal(5, statistics.Mean, StatisticsPrecision.Digits);
        Assert.Equal(Math.Sqrt(32.0 / 7), statistics.StandardDeviation!.Value, StatisticsPrecision.Digits);
    }

    [Fact]
    public void TwoSeedsSpreadBySqrtTwoTimesHalfTheirDistance()
    {
        var statistics = SampleStatistics.Of([1.25, 3.25]);

        Assert.Equal(2.25, statistics.Mean, StatisticsPrecision.Digits);
        Assert.Equal(Math.Sqrt(2), statistics.StandardDeviation!.Value, StatisticsPrecision.Digits);
    }

    /// <summary>One seed has a mean but no spread to estimate: none is reported, rather than a zero that would claim certainty.</summary>
    [Fact]
    public void OneSeedHasNoDeviation()
    {
        Assert.Equal(new SampleStatistics(1, 0.75, null), SampleStatistics.Of([0.75]));
    }

    [Fact]
    public void EqualValuesHaveNoSpread()
    {
        Assert.Equal(new SampleStatistics(3, 0.5, 0), SampleStatistics.Of([0.5, 0.5, 0.5]));
    }

    [Fact]
    public void NoValuesHaveNoMean()
    {
        var statistics = SampleStatistics.Of([]);

        Assert.Equal(0, statistics.Count);
        Assert.True(double.IsNaN(statistics.Mean));
        Assert.Null(statistics.StandardDeviation);
    }

    /// <summary>A diverged run shows in the result instead of vanishing from it.</summary>
    [Fact]
    public void ANaNRunMakesTheMeanNaN()
    {
        Assert.True(double.IsNaN(SampleStatistics.Of([1, double.NaN, 2]).Mean));
    }
}
