using System.Diagnostics;
using Mada.Cli.Metrics;
using Spectre.Console;

namespace Mada.Cli.Training;

/// <summary>
/// One run: the training loop with its progress bar, periodic evaluations, metrics and
/// checkpoints, fresh or resumed. Each step is one native call; the loop itself allocates next
/// to nothing (a metrics row is a struct, the progress text is refreshed a few times a second).
/// </summary>
internal static class TrainingRun
{
    private static readonly long ProgressTextInterval = Stopwatch.Frequency / 8;

    /// <summary>Trains on <paramref name="dataset"/> as <paramref name="settings"/> say; Ctrl+C (<paramref name="cancellation"/>) stops after the current step with a checkpoint.</summary>
    public static RunOutcome Execute(RunSettings settings, Dataset dataset, IAnsiConsole console, CancellationToken cancellation)
    {
        using var model = Model.Create(settings.Model, dataset, settings.Width, settings.Layers, settings.Heads, settings.Trainer.Seed);
        using var trainer = new Trainer(model, dataset, settings.Trainer);
        long total = settings.Trainer.TotalSteps;
        long done = settings.ResumeFrom is { } resumeFrom ? Resume(trainer, resumeFrom, total) : 0;

        // Only once the library has accepted the options and the checkpoint: a refused run leaves no folder behind.
        string directory = settings.OutputDirectory;
        RunFolder.Create(directory);
        string checkpoint = Path.Combine(directory, RunFolder.CheckpointName);
        var info = RunInfo.Describe(settings, TrainingData.Describe(settings), model.ParameterCount);
        using var log = settings.ResumeFrom is null ? MetricsLog.Start(directory, info) : MetricsLog.Continue(directory, info, done);

        console.MarkupLine(
            $"[bold]{settings.OptimizerName}[/]: {info.Model} ({info.Parameters:N0} parameters) on {Markup.Escape(info.Data)}, " +
            $"{total} steps of {settings.Trainer.BatchSize}, lr {settings.Trainer.Lr:G3}" +
            (done > 0 ? $", resumed at step {done}" : string.Empty) + $" -> {Markup.Escape(directory)}");

        var clock = Stopwatch.StartNew();
        double elapsedBefore = log.ElapsedBefore;
        bool interrupted = false;
        NewProgress(console).Start(context =>
        {
            var task = context.AddTask(settings.OptimizerName, maxValue: total);
            task.Value = done;
            long lastText = 0;
            while (done < total)
            {
                if (cancellation.IsCancellationRequested)
                {
                    interrupted = true;
                    break;
                }
                var step = trainer.Step();
                done = step.Step;
                EvalMetrics? eval = IsEvaluationStep(settings, done)
                    ? trainer.Evaluate(done == total ? 0 : settings.EvalBatches)
                    : null;
                log.Append(MetricsRow.From(step, eval, elapsedBefore + clock.Elapsed.TotalSeconds));

                task.Value = done;
                long now = Stopwatch.GetTimestamp();
                if (now - lastText >= ProgressTextInterval || done == total)
                {
                    task.Description = $"{settings.OptimizerName}  step {done}/{total}  loss {step.Loss:F4}  lr {step.Lr:0.00e+0}";
                    lastText = now;
                }
                if (settings.CheckpointEvery > 0 && done % settings.CheckpointEvery == 0 && done < total)
                {
                    trainer.Save(checkpoint);
                    log.Save();
                }
            }
        });

        trainer.Save(checkpoint);
        return new RunOutcome(log.Save(), directory, checkpoint, interrupted);
    }

    /// <summary>Loads the checkpoint (the command checked that it exists) and returns its step.</summary>
    /// <exception cref="CliException">The checkpoint is at <paramref name="total"/> steps or beyond: nothing is left to train.</exception>
    private static long Resume(Trainer trainer, string checkpoint, long total)
    {
        trainer.Load(checkpoint);
        long done = trainer.StepCount;
        if (done >= total)
        {
            throw new CliException(
                $"--resume {checkpoint}: the checkpoint is at step {done}, and --steps {total} leaves nothing to train.");
        }
        return done;
    }

    private static bool IsEvaluationStep(RunSettings settings, long step) =>
        step == settings.Trainer.TotalSteps || (settings.EvalEvery > 0 && step % settings.EvalEvery == 0);

    private static Progress NewProgress(IAnsiConsole console) => console.Progress()
        .AutoClear(false)
        .HideCompleted(false)
        .Columns(
            new TaskDescriptionColumn { Alignment = Justify.Left },
            new ProgressBarColumn(),
            new PercentageColumn(),
            new ElapsedTimeColumn(),
            new RemainingTimeColumn());
}
