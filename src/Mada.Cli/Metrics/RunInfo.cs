using Mada.Cli.Commands;
using Mada.Cli.Training;

namespace Mada.Cli.Metrics;

/// <summary>What was trained, on what and how: the "run" part of metrics.json.</summary>
internal sealed record RunInfo
{
    public required string Model { get; init; }

    public required string Optimizer { get; init; }

    public required string Data { get; init; }

    public long Parameters { get; init; }

    public long Width { get; init; }

    public long Layers { get; init; }

    public long Heads { get; init; }

    public long Context { get; init; }

    public long Steps { get; init; }

    public long BatchSize { get; init; }

    public long GradAccumulation { get; init; }

    /// <summary>Data-parallel ranks, each with <see cref="BatchSize"/> rows per batch (a resumed run may have another count).</summary>
    public long Ranks { get; init; } = 1;

    /// <summary>Whether each rank kept only its slice of the optimizer state.</summary>
    public bool ShardState { get; init; }

    public double Lr { get; init; }

    public double MinLrRatio { get; init; }

    public long WarmupSteps { get; init; }

    public double WeightDecay { get; init; }

    public double GradClip { get; init; }

    public ulong Seed { get; init; }

    public string Mode { get; init; } = "paper";

    /// <summary>The coefficients given on the command line (with the preset's for the rest); null for the preset's.</summary>
    public Coefficients? InitialCoefficients { get; init; }

    /// <summary>The coefficients the run started from: <see cref="InitialCoefficients"/>, else its optimizer's preset's; null outside the MADA family.</summary>
    public Coefficients? StartingCoefficients()
    {
        var kind = Choices.Optimizer.Parse(Optimizer);
        return InitialCoefficients ?? (kind.IsMadaFamily() ? kind.Preset().InitialCoefficients : null);
    }

    public static RunInfo Describe(RunSettings settings, string data, long parameters)
    {
        var trainer = settings.Trainer;
        return new RunInfo
        {
            Model = Choices.Model.NameOf(settings.Model),
            Optimizer = settings.OptimizerName,
            Data = data,
            Parameters = parameters,
            Width = settings.Width,
            Layers = settings.Layers,
            Heads = settings.Heads,
            Context = settings.Model == ModelKind.Gpt ? settings.Context : 0,
            Steps = trainer.TotalSteps,
            BatchSize = trainer.BatchSize,
            GradAccumulation = trainer.GradAccumulation,
            Ranks = trainer.Distributed.WorldSize,
            ShardState = trainer.Distributed.ShardState,
            Lr = trainer.Lr,
            MinLrRatio = trainer.MinLrRatio,
            WarmupSteps = trainer.WarmupSteps,
            WeightDecay = trainer.WeightDecay,
            GradClip = trainer.GradClip,
            Seed = trainer.Seed,
            Mode = Choices.Mode.NameOf(trainer.Mode),
            InitialCoefficients = trainer.InitialCoefficients,
        };
    }
}
