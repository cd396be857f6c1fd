using System.Diagnostics;
using Mada.Cli.Metrics;
using Mada.Cli.Reporting;
using Spectre.Console;

namespace Mada.Cli.Training;

/// <summary>
/// The unfinished runs of a sweep in child processes, <c>jobs</c> at a time, each with
/// cores / jobs threads and its output in <c>&lt;dir&gt;/logs/</c>; every run's cell is read back from
/// its folder (metrics.json or failure.json) as it ends, exactly as a resumed sweep reads it.
/// </summary>
internal static class SweepJobs
{
    /// <summary>
    /// Trains every run of <paramref name="runs"/> not finished, updating <paramref name="cells"/>
    /// and the sweep files as each ends; <paramref name="startInfo"/> gives the child process of run
    /// i. Returns true when interrupted (the children are stopped; their runs stay pending).
    /// </summary>
    public static bool Train(
        SweepGrid grid,
        IReadOnlyList<Sweep.PlannedRun> runs,
        List<SweepCell> cells,
        string directory,
        int jobs,
        Func<int, ProcessStartInfo> startInfo,
        IAnsiConsole console,
        CancellationToken cancellation)
    {
        var pending = new Queue<int>(Enumerable.Range(0, runs.Count).Where(i => runs[i].Finished is null));
        var active = new List<Child>();
        string logs = Path.Combine(directory, "logs");
        Directory.CreateDirectory(logs);
        var clock = Stopwatch.StartNew();
        int trained = 0;
        try
        {
            while (pending.Count > 0 || active.Count > 0)
            {
                if (cancellation.IsCancellationRequested)
                {
                    return true;
                }
                while (active.Count < jobs && pending.Count > 0)
                {
                    int i = pending.Dequeue();
                    var child = new Child(i, ChildProcess.Start(startInfo(i), Path.Combine(logs, $"run-{i + 1}.log")));
                    active.Add(child);
                    console.WriteLine($"[{i + 1}/{runs.Count}] {grid.Describe(runs[i].Point)}: started, output in {child.Process.Log}");
                }
                var ended = active.FirstOrDefault(child => child.Process.Process.HasExited);
                if (ended is null)
                {
                    Thread.Sleep(50);
                    continue;
                }
                active.Remove(ended);
                ended.Process.Finish();
                var run = runs[ended.Index];
                cells[ended.Index] = CellAfter(grid, run, ended);
                trained++;
                SweepFiles.Write(grid, cells, directory);
                int done = cells.Count(cell => cell.Status != CellStatus.Pending);
                int left = runs.Count - done;
                string estimate = left == 0 ? "none left" : $"about {ResultTable.FormatTime(clock.Elapsed / trained * left)} left";
                console.WriteLine(
                    $"[{ended.Index + 1}/{runs.Count}] {grid.Describe(run.Point)}: {cells[ended.Index].Status.ToString().ToLowerInvariant()}; " +
                    $"{done} of {runs.Count} runs done, {estimate}");
            }
            return false;
        }
        finally
        {
            foreach (var child in active)
            {
                child.Process.Stop();
            }
        }
    }

    /// <summary>The run's result as its folder holds it; a process that left none is a failed cell naming its log.</summary>
    private static SweepCell CellAfter(SweepGrid grid, Sweep.PlannedRun run, Child child)
    {
        string folder = run.Settings.OutputDirectory;
        var failure = RunFailure.Load(folder);
        var record = failure is null && File.Exists(Path.Combine(folder, RunRecord.FileName)) ? RunRecord.Load(folder) : null;
        return Sweep.FinishedIn(grid, run.Point, run.Settings, failure, record)
            ?? new SweepCell(
                run.Point, grid.FolderOf(run.Point), CellStatus.Failed, null, null, null, null,
                $"its process exited with code {child.Process.Process.ExitCode} and left no result; see {child.Process.Log}");
    }

    /// <summary>A sweep run's child process, and which run it trains.</summary>
    private sealed record Child(int Index, ChildProcess Process);
}
