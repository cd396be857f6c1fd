using System.CommandLine;
using Mada.Cli.Metrics;
using Mada.Cli.Training;
using Spectre.Console;

namespace Mada.Cli.Commands;

/// <summary><c>mada train</c>: one model, one optimizer; metrics and a checkpoint in the run folder; --resume continues it.</summary>
internal sealed class TrainCommand : Command
{
    private readonly TrainingOptions training = new();

    private readonly DataParallelOptions dataParallel = new();

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
        dataParallel.AddTo(this);
        CommandAction.Set(this, terminal, (parse, cancellation) => Run(parse, terminal, cancellation), training.InFlagTerms);
    }

    private int Run(ParseResult parse, Terminal terminal, CancellationToken cancellation)
    {
        var kind = Choices.Optimizer.Parse(parse.GetValue(optimizer)!);
        string? resumeFrom = parse.GetValue(resume);
        string directory = parse.GetValue(output)
            ?? (resumeFrom is not null
                ? Path.GetDirectoryName(Path.GetFullPath(resumeFrom))!
                : RunFolder.NewDefault(training.ModelOf(parse), Choices.Optimizer.NameOf(kind)));
        int procs = dataParallel.ProcessesToStart(parse);
        if (procs > 1)
        {
            // Refused settings are refused here, before any rank starts.
            training.Bind(parse, kind, directory, resumeFrom);
            return DataParallelLaunch.Run(
                MadaProcess.ArgumentsWithout(parse, "--procs", "--out"), procs, directory, terminal.Console, cancellation);
        }
        var settings = training.Bind(parse, kind, directory, resumeFrom);
        settings = settings with { Trainer = settings.Trainer with { Distributed = dataParallel.Bind(parse, settings.Trainer.Distributed) } };
        if (resumeFrom is not null)
        {
            RefuseChangedSettings(resumeFrom, settings);
        }

        using var dataset = TrainingData.Open(settings);
        var console = terminal.Console;
        if (settings.Trainer.Distributed.Rank > 0)
        {
            long steps = TrainingRun.Follow(settings, dataset, cancellation);
            console.WriteLine($"rank {settings.Trainer.Distributed.Rank}: {steps} steps done; rank 0 wrote the metrics and the checkpoint");
            return ExitCodes.Success;
        }
        var outcome = TrainingRun.Execute(settings, dataset, terminal.Console, cancellation);

        console.MarkupLine(Summary(RunSummary.Of(outcome.Record), outcome.Interrupted));
        console.WriteLine($"metrics:    {Path.Combine(outcome.Directory, MetricsLog.CsvName)}, {Path.Combine(outcome.Directory, RunRecord.FileName)}");
        console.WriteLine($"checkpoint: {outcome.Checkpoint}");
        if (outcome.Interrupted)
        {
            console.WriteLine($"Continue with the same options and --resume {outcome.Checkpoint}");
            return ExitCodes.Interrupted;
        }
        console.WriteLine($"charts:     mada plot {outcome.Directory}");
        return ExitCodes.Success;
    }

    /// <summary>
    /// The closing line: where the run stopped, its train loss, and its last evaluation, labelled
    /// with its step unless it is the final one (after Ctrl+C it is an older, periodic one).
    /// </summary>
    private static string Summary(RunSummary summary, bool interrupted) =>
        $"[bold]{Markup.Escape(summary.Label)}[/]: " +
        (interrupted ? $"stopped at step {summary.Steps} of {summary.TotalSteps}" : $"step {summary.Steps}") +
        $", train loss {summary.TrainLoss:F4}{Evaluation(summary)}, {summary.Elapsed.TotalSeconds:F0} s";

    private static string Evaluation(RunSummary summary) => summary.EvalLoss switch
    {
        null => string.Empty,
        { } loss when summary.IsFinalEvaluation => $", eval loss {loss:F4}, accuracy {summary.EvalAccuracy:P2}",
        { } loss => $", last evaluation at step {summary.EvalStep}: loss {loss:F4}, accuracy {summary.EvalAccuracy:P2}",
    };

    /// <summary>
    /// Refuses to resume with settings other than those the checkpoint's run recorded in its
    /// metrics.json: the checkpoint holds no schedule, and metrics.json keeps one set of settings
    /// for the whole run, so a changed one would be applied silently and recorded falsely.
    /// </summary>
    /// <exception cref="CliException">The checkpoint is missing, has no run record beside it, or a setting differs (named with both values).</exception>
    private void RefuseChangedSettings(string checkpoint, RunSettings settings)
    {
        if (!File.Exists(checkpoint))
        {
            throw new CliException($"--resume {checkpoint}: no such file.");
        }
        RunInfo recorded;
        try
        {
            recorded = RunRecord.Load(Path.GetDirectoryName(Path.GetFullPath(checkpoint))!).Run;
        }
        catch (CliException e)
        {
            throw new CliException($"--resume {checkpoint}: {e.Message} The settings of its run are unknown.");
        }
        // The parameter count is the model's (the library checks the checkpoint against it); the rest is what the command line asks.
        var requested = RunInfo.Describe(settings, TrainingData.Describe(settings), recorded.Parameters);
        RunSetting[] fixedByTheRun = [new(optimizer, null, info => info.Optimizer), .. training.RecordedSettings];
        if (RunSetting.FirstChange(fixedByTheRun, recorded, requested) is (var setting, var before, var now))
        {
            string flag = setting.Flag.Name;
            throw new CliException(
                $"--resume {checkpoint}: its run trained with {flag} {before}, and this one would with {flag} {now}. " +
                "A resumed run keeps the settings of its run: give the same, or start a new run.");
        }
    }
}
