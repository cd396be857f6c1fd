namespace Mada.Cli.Training;

/// <summary>Everything one training run needs, as the command line decided it.</summary>
internal sealed record RunSettings
{
    public required ModelKind Model { get; init; }

    /// <summary>Model sizes; 0 takes the model's default.</summary>
    public long Width { get; init; }

    public long Layers { get; init; }

    public long Heads { get; init; }

    /// <summary>Characters per window, for text.</summary>
    public long Context { get; init; }

    /// <summary>A Fashion-MNIST folder or a text file; null for the model's default data.</summary>
    public string? Data { get; init; }

    public required TrainerOptions Trainer { get; init; }

    /// <summary>Evaluate every this many steps (0: only at the end).</summary>
    public long EvalEvery { get; init; }

    /// <summary>Batches per periodic evaluation (0: all); the final evaluation always covers the whole held-out set.</summary>
    public long EvalBatches { get; init; }

    /// <summary>Save a checkpoint every this many steps (0: only at the end).</summary>
    public long CheckpointEvery { get; init; }

    /// <summary>The run folder: metrics, checkpoint, charts.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>A checkpoint to continue from; null for a fresh run.</summary>
    public string? ResumeFrom { get; init; }

    /// <summary>The optimizer's command-line name.</summary>
    public string OptimizerName => Commands.Choices.Optimizer.NameOf(Trainer.Optimizer);
}
