using System.CommandLine;
using Mada.Cli.Charts;
using Mada.Cli.Metrics;
using Spectre.Console;

namespace Mada.Cli.Commands;

/// <summary>
/// <c>mada plot</c>: the loss chart of one or several runs (runs that differ only in seed drawn as
/// one curve with a band) and the coefficient chart of each MADA run or group, as PNG and SVG.
/// </summary>
internal sealed class PlotCommand : Command
{
    private readonly Argument<string[]> runs = new("runs")
    {
        Description = "Run folders (each holding the metrics.json of a train or compare run)",
        HelpName = "run dir",
        Arity = ArgumentArity.OneOrMore,
    };

    private readonly Option<string?> output = new("--out")
    {
        Description = "Where the PNG and SVG files go [default: the run folder, or the folder the runs share]",
        HelpName = "dir",
    };

    public PlotCommand(Terminal terminal)
        : base("plot", "Chart runs as PNG and SVG: loss curves on one chart (a band over seeds), and each MADA run's coefficient trajectories")
    {
        Arguments.Add(runs);
        Options.Add(output);
        CommandAction.Set(this, terminal, (parse, _) =>
        {
            string[] directories = parse.GetValue(runs)!;
            var records = directories.Select(directory => (directory, RunRecord.Load(directory))).ToList();
            foreach (string path in RunCharts.Write(records, parse.GetValue(output) ?? SharedFolder(directories)))
            {
                terminal.Console.WriteLine(path);
            }
            return ExitCodes.Success;
        });
    }

    /// <summary>The one run's folder, or the deepest folder holding all the runs (their comparison folder).</summary>
    internal static string SharedFolder(IReadOnlyList<string> directories)
    {
        var paths = directories.Select(directory => Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar)).ToList();
        if (paths.Count == 1)
        {
            return paths[0];
        }
        string shared = paths[0];
        while (!paths.All(path => IsWithin(path, shared)))
        {
            if (Path.GetDirectoryName(shared) is not { } parent)
            {
                break;
            }
            shared = parent;
        }
        return shared;
    }

    private static bool IsWithin(string path, string folder) =>
        path == folder
        || path.StartsWith(Path.EndsInDirectorySeparator(folder) ? folder : folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
