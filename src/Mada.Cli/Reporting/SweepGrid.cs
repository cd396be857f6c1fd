using System.Globalization;
using Mada.Cli.Charts;

namespace Mada.Cli.Reporting;

/// <summary>One axis of a sweep: a coefficient and the initial values it takes, in the order given.</summary>
/// <param name="Coefficient">The coefficient.</param>
/// <param name="Flag">Its command-line flag (--beta1).</param>
/// <param name="Values">Its values, distinct.</param>
internal sealed record SweepAxis(Coefficient Coefficient, string Flag, IReadOnlyList<double> Values)
{
    /// <summary>beta1, rho, gamma: its name in folders, files and columns.</summary>
    public string Name => Coefficient.ToString().ToLowerInvariant();

    /// <summary>β1, ρ, γ: its name on charts.</summary>
    public string Symbol => CoefficientChart.SymbolOf(Coefficient);

    /// <summary>"--beta1 0.5,0.7,0.9", as the command line gives it.</summary>
    public string Arguments => $"{Flag} {string.Join(',', Values.Select(Format))}";

    /// <summary>A value as the command line writes it: invariant culture, shortest round-trip form.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>One run of a sweep: an optimizer at a point of the grid (indexes into the axes' values).</summary>
internal readonly record struct SweepPoint(string Optimizer, int X, int Y);

/// <summary>
/// A sweep: every optimizer started from every pair of initial values of two coefficients, the
/// analogue of the MADA paper's Figure 3; each against <paramref name="Baseline"/> at the same point.
/// </summary>
/// <param name="X">The coefficient along the columns (the first given).</param>
/// <param name="Y">The coefficient along the rows.</param>
/// <param name="Optimizers">The optimizers, in the order given.</param>
/// <param name="Baseline">The optimizer the others are measured against.</param>
internal sealed record SweepGrid(SweepAxis X, SweepAxis Y, IReadOnlyList<string> Optimizers, string Baseline)
{
    public int Count => X.Values.Count * Y.Values.Count * Optimizers.Count;

    /// <summary>
    /// Every run, point by point and at each point every optimizer: an interrupted sweep holds
    /// complete comparisons at the points it finished.
    /// </summary>
    public IEnumerable<SweepPoint> Points =>
        from y in Enumerable.Range(0, Y.Values.Count)
        from x in Enumerable.Range(0, X.Values.Count)
        from optimizer in Optimizers
        select new SweepPoint(optimizer, x, y);

    /// <summary>"--beta1 0.5,0.9 --beta2 0.6,0.8 --optimizers mada,adam": what decides which runs the sweep holds.</summary>
    public string Arguments => $"{X.Arguments} {Y.Arguments} --optimizers {string.Join(',', Optimizers)}";

    /// <summary>The run folder of <paramref name="point"/>, relative to the sweep's: mada/beta1-0.5_beta2-0.6.</summary>
    public string FolderOf(SweepPoint point) =>
        Path.Combine(point.Optimizer, $"{X.Name}-{SweepAxis.Format(X.Values[point.X])}_{Y.Name}-{SweepAxis.Format(Y.Values[point.Y])}");

    /// <summary>"mada --beta1 0.5 --beta2 0.6", for progress lines and messages.</summary>
    public string Describe(SweepPoint point) =>
        $"{point.Optimizer} {X.Flag} {SweepAxis.Format(X.Values[point.X])} {Y.Flag} {SweepAxis.Format(Y.Values[point.Y])}";
}
