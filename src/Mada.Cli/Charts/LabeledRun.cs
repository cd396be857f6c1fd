using Mada.Cli.Metrics;

namespace Mada.Cli.Charts;

/// <summary>A run with the name it has in legends and file names.</summary>
internal sealed record LabeledRun(string Label, RunRecord Record)
{
    /// <summary>Labels runs by their optimizer, or by their folder's name where two share an optimizer.</summary>
    public static List<LabeledRun> ByOptimizer(IReadOnlyList<(string Directory, RunRecord Record)> runs)
    {
        var optimizerCounts = runs.CountBy(run => run.Record.Run.Optimizer).ToDictionary();
        return runs
            .Select(run => new LabeledRun(
                optimizerCounts[run.Record.Run.Optimizer] == 1 ? run.Record.Run.Optimizer : new DirectoryInfo(run.Directory).Name,
                run.Record))
            .ToList();
    }
}
