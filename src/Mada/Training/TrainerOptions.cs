using Mada.Native;

namespace Mada;

/// <summary>
/// How a <see cref="Trainer"/> trains. Start from <see cref="Default"/>, whose values come from
/// the native library, and change what you need with <c>with</c>:
/// <code>var options = TrainerOptions.Default with { Optimizer = OptimizerKind.Adam, TotalSteps = 300 };</code>
/// The learning rate follows a linear warm-up, then a cosine from <see cref="Lr"/> down to
/// <see cref="Lr"/> × <see cref="MinLrRatio"/> at <see cref="TotalSteps"/>. Values are checked when
/// the trainer is created.
/// </summary>
public sealed record TrainerOptions
{
    private TrainerOptions()
    {
    }

    /// <summary>The native defaults: MADA, lr 1e-3, batch 64, 1000 steps.</summary>
    public static TrainerOptions Default => FromNative(NativeOptions.TrainerDefaults());

    /// <summary>The optimizer.</summary>
    public OptimizerKind Optimizer { get; init; }

    /// <summary>Peak learning rate of the schedule.</summary>
    public double Lr { get; init; }

    /// <summary>The schedule ends at <see cref="Lr"/> times this, in [0, 1].</summary>
    public double MinLrRatio { get; init; }

    /// <summary>Decoupled weight decay, applied to matrices and kernels only (parameters of two or more dimensions).</summary>
    public double WeightDecay { get; init; }

    /// <summary>Largest global L2 norm of the gradient; 0 disables clipping.</summary>
    public double GradClip { get; init; }

    /// <summary>Steps of linear warm-up, fewer than <see cref="TotalSteps"/>.</summary>
    public long WarmupSteps { get; init; }

    /// <summary>Length of the schedule.</summary>
    public long TotalSteps { get; init; }

    /// <summary>Examples per micro-batch (and per evaluation batch).</summary>
    public long BatchSize { get; init; }

    /// <summary>Micro-batches per optimizer step.</summary>
    public long GradAccumulation { get; init; }

    /// <summary>The batches of step s are a function of (seed, s) only, so a resumed run sees the same data.</summary>
    public ulong Seed { get; init; }

    /// <summary>Coefficients a MADA-family optimizer starts from; null for its preset's.</summary>
    public Coefficients? InitialCoefficients { get; init; }

    /// <summary>Paper or reference equations for the MADA family.</summary>
    public Mode Mode { get; init; }

    internal static TrainerOptions FromNative(in mada_trainer_options native) => new()
    {
        Optimizer = (OptimizerKind)native.optimizer,
        Lr = native.lr,
        MinLrRatio = native.min_lr_ratio,
        WeightDecay = native.weight_decay,
        GradClip = native.grad_clip,
        WarmupSteps = native.warmup_steps,
        TotalSteps = native.total_steps,
        BatchSize = native.batch_size,
        GradAccumulation = native.grad_accumulation,
        Seed = native.seed,
        InitialCoefficients = native.has_q0 != 0 ? Coefficients.FromNative(native.q0) : null,
        Mode = (Mode)native.mode,
    };

    internal mada_trainer_options ToNative() => new()
    {
        optimizer = (mada_optimizer_kind)Optimizer,
        lr = Lr,
        min_lr_ratio = MinLrRatio,
        weight_decay = WeightDecay,
        grad_clip = GradClip,
        warmup_steps = WarmupSteps,
        total_steps = TotalSteps,
        batch_size = BatchSize,
        grad_accumulation = GradAccumulation,
        seed = Seed,
        has_q0 = InitialCoefficients.HasValue ? 1 : 0,
        q0 = InitialCoefficients.GetValueOrDefault().ToNative(),
        mode = (mada_mode)Mode,
    };
}
