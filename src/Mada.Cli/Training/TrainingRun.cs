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

        long ranks = settings.Trainer.Distributed.WorldSize;
        console.MarkupLine(
            $"[bold]{settings.OptimizerName}[/]: {info.Model} ({info.Parameters:N0} parameters) on {Markup.Escape(info.Data)}, " +
            $"{total} steps of {settings.Trainer.BatchSize}" + (ranks > 1 ? $" on each of {ranks} ranks" : string.Empty) +
            $", lr {settings.Trainer.Lr:G3}" +
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
                    StopIfDistributed(settings);
                    interrupted = true;
                    break;
                }
                var step = trainer.Step();
                done = step.Step;
                EvalMetrics? eval = Evaluate(trainer, settings, done);
                log.Append(MetricsRow.From(step, eval, elapsedBefore + clock.Elapsed.TotalSeconds));

                task.Value = done;
                long now = Stopwatch.GetTimestamp();
                if (now - lastText >= ProgressTextInterval || done == total)
                {
                    task.Description = $"{settings.OptimizerName}  step {done}/{total}  loss {step.Loss:F4}  lr {step.Lr:0.00e+0}";
                    lastText = now;
                }
                if (IsCheckpointStep(settings, done))
                {
                    trainer.Save(checkpoint);
                    log.Save();
                }
            }
        });

        trainer.Save(checkpoint);
        return new RunOutcome(log.Save(), directory, checkpoint, interrupted);
    }

    /// <summary>
    /// A data-parallel rank other than 0: the same steps, evaluations and saves as rank 0 (each a
    /// call all ranks make together), without the console, the metrics or the files, which are
    /// rank 0's. Returns the steps done.
    /// </summary>
    public static long Follow(RunSettings settings, Dataset dataset, CancellationToken cancellation)
    {
        using var model = Model.Create(settings.Model, dataset, settings.Width, settings.Layers, settings.Heads, settings.Trainer.Seed);
        using var trainer = new Trainer(model, dataset, settings.Trainer);
        long total = settings.Trainer.TotalSteps;
        long done = settings.ResumeFrom is { } resumeFrom ? Resume(trainer, resumeFrom, total) : 0;
        string checkpoint = Path.Combine(settings.OutputDirectory, RunFolder.CheckpointName);
        while (done < total)
        {
            if (cancellation.IsCancellationRequested)
            {
                StopIfDistributed(settings);
            }
            done = trainer.Step().Step;
            Evaluate(trainer, settings, done);
            if (IsCheckpointStep(settings, done))
            {
                trainer.Save(checkpoint);
            }
        }
        trainer.Save(checkpoint);
        return done;
    }

    /// <summary>
    /// Ranks cannot stop at a step of their own choosing (each would wait for the others in
    /// another call): Ctrl+C stops a data-parallel run at once, and it resumes from its last checkpoint.
    /// </summary>
    private static void StopIfDistributed(RunSettings settings)
    {
        if (settings.Trainer.Distributed.WorldSize > 1)
        {
            throw new CliException("interrupted: a data-parallel run stops all its ranks at once; resume from its last checkpoint (--checkpoint-every).");
        }
    }

    private static EvalMetrics? Evaluate(Trainer trainer, RunSettings settings, long step) =>
        IsEvaluationStep(settings, step) ? trainer.Evaluate(step == settings.Trainer.TotalSteps ? 0 : settings.EvalBatches) : null;

    private static bool IsCheckpointStep(RunSettings settings, long step) =>
        settings.CheckpointEvery > 0 && step % settings.CheckpointEvery == 0 && step < settings.Trainer.TotalSteps;

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
