using Mada.Cli.Metrics;
using Mada.Cli.Training;

namespace Mada.Cli.Charts;

/// <summary>The charts of a set of runs: loss.png for all, coefficients-&lt;label&gt;.png for each run whose coefficients moved.</summary>
internal static class RunCharts
{
    public const string LossFileName = "loss.png";

    /// <summary>Writes the charts into <paramref name="directory"/> and returns their paths.</summary>
    public static List<string> Write(IReadOnlyList<(string Directory, RunRecord Record)> runs, string directory)
    {
        RunFolder.Create(directory);
        var labeled = LabeledRun.ByOptimizer(runs);
        var written = new List<string>();

        string loss = Path.Combine(directory, LossFileName);
        LossChart.Write(labeled, loss);
        written.Add(loss);

        foreach (var run in labeled.Where(CoefficientChart.HasTrajectory))
        {
            string path = Path.Combine(directory, $"coefficients-{run.Label}.png");
            CoefficientChart.Write(run, path);
            written.Add(path);
        }
        return written;
    }
}
