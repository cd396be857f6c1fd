using Mada.Cli.Metrics;
using Mada.Cli.Training;

namespace Mada.Cli.Charts;

/// <summary>
/// The charts of a set of runs, as PNG and SVG: loss for all, coefficients-&lt;label&gt; for each
/// group of runs (<see cref="SeedGroup"/>) whose coefficients moved.
/// </summary>
internal static class RunCharts
{
    /// <summary>Writes the charts into <paramref name="directory"/> and returns their paths.</summary>
    public static List<string> Write(IReadOnlyList<(string Directory, RunRecord Record)> runs, string directory)
    {
        RunFolder.Create(directory);
        var groups = SeedGroup.Of(runs);
        var written = new List<string>(LossChart.Write(groups, Path.Combine(directory, "loss")));
        foreach (var group in groups.Where(CoefficientChart.HasTrajectory))
        {
            written.AddRange(CoefficientChart.Write(group, Path.Combine(directory, $"coefficients-{group.Label}")));
        }
        return written;
    }
}
