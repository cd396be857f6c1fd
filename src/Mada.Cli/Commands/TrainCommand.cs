using System.CommandLine;
using Mada.Cli.Metrics;
using Mada.Cli.Training;
using Spectre.Console;

namespace Mada.Cli.Commands;

/// <summary><c>mada train</c>: one model, one optimizer; metrics and a checkpoint in the run folder; --resume continues it.</summary>
internal sealed class TrainCommand : Command
{
    private readonly TrainingOptions training = new();

    private readonly Option<string> optimizer = Choices.Optimizer.CreateOption("--optimizer", "The optimizer", OptimizerKind.Mada);

    private readonly Option<string?> output = new("--out")
    {
        Description = "The run folder [default: runs/<time>-<model>-<optimizer>; with --resume, the checkpoint's folder]",
        HelpName = "dir",
    };

    private readonly Option<string?> resume = new("--resume")
    {
        Description = "Continue from a checkpoint of a run with the same options",
        HelpName = "checkpoint",
    };

    public TrainCommand(Terminal terminal)
        : base("train", "Train one model with one optimizer; writes metrics.csv, metrics.json and checkpoint.pt into the run folder")
    {
        training.AddTo(this);
        Options.Add(optimizer);
        Options.Add(output);
        Options.Add(resume);
        CommandAction.Set(this, terminal, (parse, cancellation) => Run(parse, terminal, cancellation));
    }

    private int Run(ParseResult parse, Terminal terminal, CancellationToken cancellation)
    {
        var kind = Choices.Optimizer.Parse(parse.GetValue(optimizer)!);
        string? resumeFrom = parse.GetValue(resume);
        string directory = parse.GetValue(output)
            ?? (resumeFrom is not null
                ? Path.GetDirectoryName(Path.GetFullPath(resumeFrom))!
                : RunFolder.NewDefault(training.ModelOf(parse), Choices.Optimizer.NameOf(kind)));
        var settings = training.Bind(parse, kind, directory, resumeFrom);

        using var dataset = TrainingData.Open(settings);
        var outcome = TrainingRun.Execute(settings, dataset, terminal.Console, cancellation);

        var console = terminal.Console;
        var summary = RunSummary.Of(outcome.Record);
        console.MarkupLine(
            $"[bold]{Markup.Escape(summary.Label)}[/]: step {summary.Steps}, train loss {summary.TrainLoss:F4}" +
            (summary.EvalLoss is { } loss ? $", eval loss {loss:F4}, accuracy {summary.EvalAccuracy:P2}" : string.Empty) +
            $", {summary.Elapsed.TotalSeconds:F0} s");
        console.WriteLine($"metrics:    {Path.Combine(outcome.Directory, MetricsLog.CsvName)}, {Path.Combine(outcome.Directory, RunRecord.FileName)}");
        console.WriteLine($"checkpoint: {outcome.Checkpoint}");
        if (outcome.Interrupted)
        {
            console.WriteLine($"Stopped at step {summary.Steps}. Continue with the same options and --resume {outcome.Checkpoint}");
            return ExitCodes.Interrupted;
        }
        console.WriteLine($"charts:     mada plot {outcome.Directory}");
        return ExitCodes.Success;
    }
}
