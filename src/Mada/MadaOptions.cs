using Mada.Native;

namespace Mada;

/// <summary>
/// Every setting of a MADA optimizer. Start from a preset, whose values come from the native
/// library so the defaults live in one place, and change what you need with <c>with</c>:
/// <code>var options = MadaOptions.Mada with { Lr = 3e-4, GradClip = 1.0 };</code>
/// Values are checked by the native library when an optimizer is created, or by <see cref="Validate"/>.
/// </summary>
public sealed record MadaOptions
{
    // The fields themselves: each property below reads and writes its own, so the C struct's
    // field list is the one list (a preset arrives and an optimizer is created without a copy
    // field by field), and `with` copies it whole.
    private mada_options native;

    private MadaOptions()
    {
    }

    /// <summary>All six coefficients learn, starting from Adam.</summary>
    public static MadaOptions Mada => FromPreset(mada_preset.MADA_PRESET_MADA);

    /// <summary>Adam whose beta1 and beta2 learn.</summary>
    public static MadaOptions HyperAdam => FromPreset(mada_preset.MADA_PRESET_HYPER_ADAM);

    /// <summary>Adam (fixed coefficients).</summary>
    public static MadaOptions Adam => FromPreset(mada_preset.MADA_PRESET_ADAM);

    /// <summary>Adam with decoupled weight decay.</summary>
    public static MadaOptions AdamW => FromPreset(mada_preset.MADA_PRESET_ADAMW);

    /// <summary>AMSGrad with the maximum replaced by a running average (rho = 0).</summary>
    public static MadaOptions AVGrad => FromPreset(mada_preset.MADA_PRESET_AVGRAD);

    /// <summary>Yogi (c = 0).</summary>
    public static MadaOptions Yogi => FromPreset(mada_preset.MADA_PRESET_YOGI);

    /// <summary>Adan (beta3 &gt; 0).</summary>
    public static MadaOptions Adan => FromPreset(mada_preset.MADA_PRESET_ADAN);

    /// <summary>Lion (gamma = 0).</summary>
    public static MadaOptions Lion => FromPreset(mada_preset.MADA_PRESET_LION);

    /// <summary>Default learning rate of parameter groups.</summary>
    public double Lr
    {
        get => native.lr;
        init => native.lr = value;
    }

    /// <summary>Default decoupled weight decay of parameter groups.</summary>
    public double WeightDecay
    {
        get => native.weight_decay;
        init => native.weight_decay = value;
    }

    /// <summary>Coefficients of the first update; each must lie inside its bounds (refused otherwise, never projected).</summary>
    public Coefficients InitialCoefficients
    {
        get => Coefficients.FromNative(native.q0);
        init => native.q0 = value.ToNative();
    }

    /// <summary>Hyper learning rate per coefficient.</summary>
    public Coefficients HyperLr
    {
        get => Coefficients.FromNative(native.hyper_lr);
        init => native.hyper_lr = value.ToNative();
    }

    /// <summary>Which coefficients learn.</summary>
    public LearnedCoefficients Learned
    {
        get => (LearnedCoefficients)native.learn;
        init => native.learn = (uint)value;
    }

    /// <summary>Lower bound per coefficient.</summary>
    public Coefficients LowerBounds
    {
        get => Coefficients.FromNative(native.lower);
        init => native.lower = value.ToNative();
    }

    /// <summary>Upper bound per coefficient.</summary>
    public Coefficients UpperBounds
    {
        get => Coefficients.FromNative(native.upper);
        init => native.upper = value.ToNative();
    }

    /// <summary>Added to sqrt(v_hat) in the denominator.</summary>
    public double Eps
    {
        get => native.eps;
        init => native.eps = value;
    }

    /// <summary>Lion's interpolation constant for the sign direction.</summary>
    public double LionBeta1
    {
        get => native.lion_beta1;
        init => native.lion_beta1 = value;
    }

    /// <summary>Lion's momentum decay.</summary>
    public double LionBeta2
    {
        get => native.lion_beta2;
        init => native.lion_beta2 = value;
    }

    /// <summary>Per-coefficient clip of the hypergradient.</summary>
    public double HypergradClip
    {
        get => native.hypergrad_clip;
        init => native.hypergrad_clip = value;
    }

    /// <summary>Largest global L2 norm of the gradient; 0 disables clipping.</summary>
    public double GradClip
    {
        get => native.grad_clip;
        init => native.grad_clip = value;
    }

    /// <summary>Paper or reference equations.</summary>
    public Mode Mode
    {
        get => (Mode)native.mode;
        init => native.mode = (mada_mode)value;
    }

    /// <summary>What a step does with a NaN or infinite gradient.</summary>
    public NonFinitePolicy NonFinitePolicy
    {
        get => (NonFinitePolicy)native.non_finite;
        init => native.non_finite = (mada_non_finite_policy)value;
    }

    /// <summary>
    /// Keeps the six derivative buffers in bfloat16: 36 bytes of optimizer state per float32
    /// parameter instead of 48, and 88 bytes moved per step instead of 112. The hypergradient
    /// then sums over rounded derivatives (docs/benchmarks.md, "Compact state", measures what
    /// that changes on real runs). Checkpoints record it: a state saved one way loads only the
    /// same way.
    /// </summary>
    public bool CompactState
    {
        get => native.compact_state != 0;
        init => native.compact_state = value ? 1 : 0;
    }

    /// <summary>Checks every field with the native rules.</summary>
    /// <exception cref="ArgumentException">A field is out of range; the message names it.</exception>
    public void Validate() => NativeOptions.Validate(ToNative());

    internal static MadaOptions FromPreset(mada_preset preset) => FromNative(NativeOptions.Preset(preset));

    internal static MadaOptions FromNative(in mada_options native) => new() { native = native };

    internal mada_options ToNative() => native;
}
