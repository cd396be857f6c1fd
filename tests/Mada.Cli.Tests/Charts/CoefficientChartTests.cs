using Mada.Cli.Charts;

namespace Mada.Cli.Tests.Charts;

/// <summary>Which of the optimizers MADA interpolates a coefficient panel names: those its runs reach, no others.</summary>
public sealed class CoefficientChartTests
{
    [Theory]
    // rho from Adam's 1 down to 0.9991: Adam is on the panel, AVGrad's 0 would flatten the move.
    [InlineData(Coefficient.Rho, 0.9991, 1.0, "Adam")]
    [InlineData(Coefficient.Rho, 0.0, 1.0, "AVGrad,Adam")]
    [InlineData(Coefficient.C, 0.2, 0.5, "")]
    [InlineData(Coefficient.C, 0.0, 0.3, "Yogi")]
    [InlineData(Coefficient.Gamma, 0.0, 1.0, "Adam,Lion")]
    [InlineData(Coefficient.Beta3, 0.0, 0.12, "Adam")]
    [InlineData(Coefficient.Beta1, 0.5, 0.99, "")]
    public void APanelNamesTheFixedPointsWithinItsRange(Coefficient coefficient, double low, double high, string expected)
    {
        var names = CoefficientChart.FixedPointsWithin(coefficient, low, high).Select(point => point.Name).Order();

        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries).Order(), names);
    }
}
