using Mada.Cli.Charts;
using Mada.Cli.Commands;
using Mada.Cli.Metrics;
using Mada.Cli.Reporting;
using Spectre.Console;

namespace Mada.Cli.Training;

/// <summary>Several runs on the same data, one after the other, then the table, the summary files and the charts.</summary>
internal static class Comparison
{
    /// <summary>
    /// Trains every run (they differ only in optimizer, seed and folder), then reports each
    /// optimizer over the seeds and against <paramref name="baseline"/>; returns the exit code.
    /// </summary>
    public static int Run(
        IReadOnlyList<RunSettings> runs, OptimizerKind baseline, string directory, Terminal terminal, CancellationToken cancellation)
    {
        var console = terminal.Console;
        // The runs share their data: load it once (Fashion-MNIST takes seconds).
        using var dataset = TrainingData.Open(runs[0]);
        var finished = new List<RunOutcome>();
        foreach (var run in runs)
        {
            var outcome = TrainingRun.Execute(run, dataset, console, cancellation);
            if (outcome.Interrupted)
            {
                console.WriteLine($"Stopped during {run.OptimizerName} (seed {run.Trainer.Seed}); its checkpoint is {outcome.Checkpoint}.");
                return ExitCodes.Interrupted;
            }
            finished.Add(outcome);
        }

        RunFolder.Create(directory);
        var summary = ComparisonSummary.Of(
            finished.Select(outcome => RunSummary.Of(outcome.Record)).ToList(), Choices.Optimizer.NameOf(baseline));
        console.Write(ResultTable.Create(summary));
        var summaryFiles = SummaryFiles.Write(summary, directory);
        var charts = RunCharts.Write(finished.Select(outcome => (outcome.Directory, outcome.Record)).ToList(), directory);
        console.WriteLine($"Runs (metrics.csv, metrics.json, checkpoint.pt): {string.Join(", ", finished.Select(outcome => outcome.Directory))}");
        console.WriteLine($"Summary: {string.Join(", ", summaryFiles)}");
        console.WriteLine("Charts:");
        foreach (string chart in charts)
        {
            console.WriteLine($"  {chart}");
        }
        return ExitCodes.Success;
    }
}
