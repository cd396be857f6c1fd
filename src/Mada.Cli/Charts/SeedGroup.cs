using Mada.Cli.Metrics;

namespace Mada.Cli.Charts;

/// <summary>
/// Runs that differ in nothing but their seed (one optimizer of a comparison over its seeds, or a
/// single run), with the name they have in legends and file names: a chart draws them as one
/// curve with a band, not as unrelated lines.
/// </summary>
/// <param name="Label">Their optimizer, or where two groups share one, their folder's name.</param>
/// <param name="Runs">The runs, in seed order.</param>
internal sealed record SeedGroup(string Label, IReadOnlyList<RunRecord> Runs)
{
    /// <summary>Groups <paramref name="runs"/> by everything their metrics.json records but the seed, in the order they come.</summary>
    public static List<SeedGroup> Of(IReadOnlyList<(string Directory, RunRecord Record)> runs)
    {
        var groups = runs.GroupBy(run => run.Record.Run with { Seed = 0 }).ToList();
        var optimizerCounts = groups.CountBy(group => group.Key.Optimizer).ToDictionary();
        return groups
            .Select(group => new SeedGroup(
                optimizerCounts[group.Key.Optimizer] == 1 ? group.Key.Optimizer : FolderName(group.Select(run => run.Directory).ToList()),
                group.Select(run => run.Record).OrderBy(record => record.Run.Seed).ToList()))
            .ToList();
    }

    /// <summary>One run's folder name; for several, the name of the folder holding them (compare's &lt;optimizer&gt; above its seed-&lt;n&gt;).</summary>
    private static string FolderName(IReadOnlyList<string> directories)
    {
        string first = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directories[0]));
        return Path.GetFileName(directories.Count == 1 ? first : Path.GetDirectoryName(first) ?? first);
    }
}
