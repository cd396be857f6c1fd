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
    // The fields themselves, as MadaOptions keeps its: the C struct is the one field list.
    private mada_trainer_options native;

    private TrainerOptions()
    {
    }

    /// <summary>The native defaults: MADA, lr 1e-3, batch 64, 1000 steps.</summary>
    public static TrainerOptions Default => FromNative(NativeOptions.TrainerDefaults());

    /// <summary>The optimizer.</summary>
    public OptimizerKind Optimizer
    {
        get => (OptimizerKind)native.optimizer;
        init => native.optimizer = (mada_optimizer_kind)value;
    }

    /// <summary>Peak learning rate of the schedule.</summary>
    public double Lr
    {
        get => native.lr;
        init => native.lr = value;
    }

    /// <summary>The schedule ends at <see cref="Lr"/> times this, in [0, 1].</summary>
    public double MinLrRatio
    {
        get => native.min_lr_ratio;
        init => native.min_lr_ratio = value;
    }

    /// <summary>Decoupled weight decay, applied to matrices and kernels only (parameters of two or more dimensions).</summary>
    public double WeightDecay
    {
        get => native.weight_decay;
        init => native.weight_decay = value;
    }

    /// <summary>Largest global L2 norm of the gradient; 0 disables clipping.</summary>
    public double GradClip
    {
        get => native.grad_clip;
        init => native.grad_clip = value;
    }

    /// <summary>Steps of linear warm-up, fewer than <see cref="TotalSteps"/>.</summary>
    public long WarmupSteps
    {
        get => native.warmup_steps;
        init => native.warmup_steps = value;
    }

    /// <summary>Length of the schedule.</summary>
    public long TotalSteps
    {
        get => native.total_steps;
        init => native.total_steps = value;
    }

    /// <summary>Examples per micro-batch (and per evaluation batch).</summary>
    public long BatchSize
    {
        get => native.batch_size;
        init => native.batch_size = value;
    }

    /// <summary>Micro-batches per optimizer step.</summary>
    public long GradAccumulation
    {
        get => native.grad_accumulation;
        init => native.grad_accumulation = value;
    }

    /// <summary>The batches of step s are a function of (seed, s) only, so a resumed run sees the same data.</summary>
    public ulong Seed
    {
        get => native.seed;
        init => native.seed = value;
    }

    /// <summary>Coefficients a MADA-family optimizer starts from; null for its preset's.</summary>
    public Coefficients? InitialCoefficients
    {
        get => native.has_q0 != 0 ? Coefficients.FromNative(native.q0) : null;
        init => (native.has_q0, native.q0) = (value.HasValue ? 1 : 0, value.GetValueOrDefault().ToNative());
    }

    /// <summary>Paper or reference equations for the MADA family.</summary>
    public Mode Mode
    {
        get => (Mode)native.mode;
        init => native.mode = (mada_mode)value;
    }

    /// <summary>Data-parallel training across processes; by default one process trains alone.</summary>
    public DistributedOptions Distributed
    {
        get => distributed;
        init => distributed = value ?? throw new ArgumentNullException(nameof(value));
    }

    private DistributedOptions distributed = DistributedOptions.FromNative(default);

    internal static TrainerOptions FromNative(in mada_trainer_options native) =>
        new() { native = native, distributed = DistributedOptions.FromNative(native.distributed) };

    /// <summary>The native struct, its distributed store still to be pinned by the caller.</summary>
    internal mada_trainer_options ToNative() => native with { distributed = distributed.ToNative() };
}
