using System.Diagnostics;
using Mada.Cli.Charts;
using Mada.Cli.Metrics;
using Mada.Cli.Reporting;
using Spectre.Console;

namespace Mada.Cli.Training;

/// <summary>
/// The runs of a sweep, one after the other, each in its own folder, skipping those a previous
/// session finished; then sweep.json, sweep.csv, the heatmaps and a table per optimizer.
/// </summary>
internal static class Sweep
{
    /// <summary>One run of the sweep: its point, its settings, and its result where an earlier session finished it.</summary>
    public sealed record PlannedRun(SweepPoint Point, RunSettings Settings, SweepCell? Finished);

    /// <summary>
    /// Trains the runs not yet finished, recording each as it ends (a run the library stops is a
    /// cell that says so, not an error of the sweep); returns the exit code. With
    /// <paramref name="jobs"/> above 1 the runs go side by side in the child processes
    /// <paramref name="childOf"/> starts (<see cref="SweepJobs"/>).
    /// </summary>
    public static int Run(
        SweepGrid grid,
        IReadOnlyList<PlannedRun> runs,
        string directory,
        Terminal terminal,
        CancellationToken cancellation,
        int jobs = 1,
        Func<int, System.Diagnostics.ProcessStartInfo>? childOf = null)
    {
        var console = terminal.Console;
        var cells = runs.Select(run => run.Finished ?? Pending(grid, run)).ToList();
        RunFolder.Create(directory);
        SweepFiles.Write(grid, cells, directory);
        int kept = runs.Count(run => run.Finished is not null);
        if (kept > 0)
        {
            console.WriteLine($"Resuming the sweep in {directory}: {kept} of {runs.Count} runs finished before and are kept.");
        }

        if (jobs > 1 && childOf is not null)
        {
            if (SweepJobs.Train(grid, runs, cells, directory, jobs, childOf, console, cancellation))
            {
                console.WriteLine("Stopped. Run the same command again to resume the sweep: finished runs are kept.");
                return ExitCodes.Interrupted;
            }
            return Report(grid, cells, directory, console);
        }

        Dataset? dataset = null;
        try
        {
            var clock = new Stopwatch();
            int trained = 0;
            for (int i = 0; i < runs.Count; i++)
            {
                var run = runs[i];
                string label = $"[{i + 1}/{runs.Count}] {grid.Describe(run.Point)}";
                if (run.Finished is not null)
                {
                    console.WriteLine($"{label}: finished before, kept");
                    continue;
                }
                int done = cells.Count(cell => cell.Status != CellStatus.Pending);
                console.WriteLine($"{label}: {done} of {runs.Count} runs done, {Remaining(clock.Elapsed, trained, runs.Count - done)}");
                // The runs share their data: load it once, and only if some run is left (Fashion-MNIST takes seconds).
                dataset ??= TrainingData.Open(run.Settings);
                clock.Start();
                var (cell, interrupted) = Train(grid, run, dataset, console, cancellation);
                clock.Stop();
                trained++;
                cells[i] = cell;
                SweepFiles.Write(grid, cells, directory);
                if (interrupted)
                {
                    console.WriteLine(
                        $"Stopped during {grid.Describe(run.Point)}. Run the same command again to resume the sweep: " +
                        "finished runs are kept, this one starts over.");
                    return ExitCodes.Interrupted;
                }
            }
        }
        finally
        {
            dataset?.Dispose();
        }
        return Report(grid, cells, directory, console);
    }

    /// <summary>
    /// One run of a sweep alone, as a child process of <see cref="SweepJobs"/> trains it: its
    /// folder gets metrics.json or failure.json; the sweep's own files are the parent's.
    /// </summary>
    public static int TrainAlone(SweepGrid grid, PlannedRun run, Terminal terminal, CancellationToken cancellation)
    {
        if (run.Finished is not null)
        {
            return ExitCodes.Success;
        }
        using var dataset = TrainingData.Open(run.Settings);
        var (_, interrupted) = Train(grid, run, dataset, terminal.Console, cancellation);
        return interrupted ? ExitCodes.Interrupted : ExitCodes.Success;
    }

    /// <summary>The tables, the summary files and the heatmaps of a sweep whose runs all ended.</summary>
    private static int Report(SweepGrid grid, List<SweepCell> cells, string directory, IAnsiConsole console)
    {
        foreach (string optimizer in grid.Optimizers)
        {
            console.Write(SweepTable.Create(grid, cells, optimizer));
        }
        var files = SweepFiles.Write(grid, cells, directory);
        var charts = SweepHeatmaps.Write(grid, cells, directory);
        console.WriteLine($"Runs: {directory}/<optimizer>/<{grid.X.Name}>-<value>_<{grid.Y.Name}>-<value>");
        console.WriteLine($"Summary: {string.Join(", ", files)}");
        console.WriteLine("Charts:");
        foreach (string chart in charts)
        {
            console.WriteLine($"  {chart}");
        }
        return ExitCodes.Success;
    }

    /// <summary>
    /// The result of the run in <paramref name="folder"/> if it was finished with the settings
    /// <paramref name="settings"/> asks (the caller checked they are the same): its failure, or
    /// its metrics.json up to the last step; null when it has to be trained (again).
    /// </summary>
    public static SweepCell? FinishedIn(SweepGrid grid, SweepPoint point, RunSettings settings, RunFailure? failure, RunRecord? record)
    {
        string folder = grid.FolderOf(point);
        if (failure is not null)
        {
            return new SweepCell(point, folder, failure.Status, null, null, null, null, failure.Message);
        }
        if (record is null || record.Steps.Count == 0 || record.Steps[^1].Step < settings.Trainer.TotalSteps)
        {
            return null;
        }
        return CellOf(point, folder, RunSummary.Of(record));
    }

    private static (SweepCell Cell, bool Interrupted) Train(
        SweepGrid grid, PlannedRun run, Dataset dataset, IAnsiConsole console, CancellationToken cancellation)
    {
        string folder = grid.FolderOf(run.Point);
        CellStatus status;
        try
        {
            var outcome = TrainingRun.Execute(run.Settings, dataset, console, cancellation);
            return outcome.Interrupted
                ? (Pending(grid, run), true)
                : (CellOf(run.Point, folder, RunSummary.Of(outcome.Record)), false);
        }
        catch (MadaException e)
        {
            status = e is NonFiniteGradientException ? CellStatus.Diverged : CellStatus.Failed;
            var info = RunInfo.Describe(run.Settings, TrainingData.Describe(run.Settings), parameters: 0);
            new RunFailure(info, status, e.Message).Save(run.Settings.OutputDirectory);
            console.WriteLine($"{grid.Describe(run.Point)}: {status.ToString().ToLowerInvariant()}: {e.Message}");
            return (new SweepCell(run.Point, folder, status, null, null, null, null, e.Message), false);
        }
    }

    private static SweepCell CellOf(SweepPoint point, string folder, RunSummary summary)
    {
        var status = summary.TrainLoss switch
        {
            double.NaN => CellStatus.NaN,
            var loss when double.IsInfinity(loss) => CellStatus.Diverged,
            _ => CellStatus.Finished,
        };
        return new SweepCell(
            point, folder, status, summary.TrainLoss, summary.IsFinalEvaluation ? summary.EvalLoss : null,
            summary.IsFinalEvaluation ? summary.EvalAccuracy : null, summary.Elapsed.TotalSeconds, null);
    }

    private static SweepCell Pending(SweepGrid grid, PlannedRun run) =>
        new(run.Point, grid.FolderOf(run.Point), CellStatus.Pending, null, null, null, null, null);

    /// <summary>"about 1m 20s left" from the runs trained in this session, or "time left: estimated after the first run".</summary>
    private static string Remaining(TimeSpan spent, int trained, int left)
    {
        if (trained == 0)
        {
            return "time left: estimated after the first run";
        }
        return $"about {ResultTable.FormatTime(spent / trained * left)} left";
    }
}
