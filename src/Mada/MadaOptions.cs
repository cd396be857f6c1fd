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
    public double Lr { get; init; }

    /// <summary>Default decoupled weight decay of parameter groups.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Coefficients of the first update; each must lie inside its bounds (refused otherwise, never projected).</summary>
    public Coefficients InitialCoefficients { get; init; }

    /// <summary>Hyper learning rate per coefficient.</summary>
    public Coefficients HyperLr { get; init; }

    /// <summary>Which coefficients learn.</summary>
    public LearnedCoefficients Learned { get; init; }

    /// <summary>Lower bound per coefficient.</summary>
    public Coefficients LowerBounds { get; init; }

    /// <summary>Upper bound per coefficient.</summary>
    public Coefficients UpperBounds { get; init; }

    /// <summary>Added to sqrt(v_hat) in the denominator.</summary>
    public double Eps { get; init; }

    /// <summary>Lion's interpolation constant for the sign direction.</summary>
    public double LionBeta1 { get; init; }

    /// <summary>Lion's momentum decay.</summary>
    public double LionBeta2 { get; init; }

    /// <summary>Per-coefficient clip of the hypergradient.</summary>
    public double HypergradClip { get; init; }

    /// <summary>Largest global L2 norm of the gradient; 0 disables clipping.</summary>
    public double GradClip { get; init; }

    /// <summary>Paper or reference equations.</summary>
    public Mode Mode { get; init; }

    /// <summary>What a step does with a NaN or infinite gradient.</summary>
    public NonFinitePolicy NonFinitePolicy { get; init; }

    /// <summary>Checks every field with the native rules.</summary>
    /// <exception cref="ArgumentException">A field is out of range; the message names it.</exception>
    public void Validate() => NativeOptions.Validate(ToNative());

    private static MadaOptions FromPreset(mada_preset preset) => FromNative(NativeOptions.Preset(preset));

    internal static MadaOptions FromNative(in mada_options native) => new()
    {
        Lr = native.lr,
        WeightDecay = native.weight_decay,
        InitialCoefficients = Coefficients.FromNative(native.q0),
        HyperLr = Coefficients.FromNative(native.hyper_lr),
        Learned = (LearnedCoefficients)native.learn_mask,
        LowerBounds = Coefficients.FromNative(native.lower),
        UpperBounds = Coefficients.FromNative(native.upper),
        Eps = native.eps,
        LionBeta1 = native.lion_beta1,
        LionBeta2 = native.lion_beta2,
        HypergradClip = native.hypergrad_clip,
        GradClip = native.grad_clip,
        Mode = (Mode)native.mode,
        NonFinitePolicy = (NonFinitePolicy)native.non_finite,
    };

    internal mada_options ToNative() => new()
    {
        lr = Lr,
        weight_decay = WeightDecay,
        q0 = InitialCoefficients.ToNative(),
        hyper_lr = HyperLr.ToNative(),
        learn_mask = (uint)Learned,
        lower = LowerBounds.ToNative(),
        upper = UpperBounds.ToNative(),
        eps = Eps,
        lion_beta1 = LionBeta1,
        lion_beta2 = LionBeta2,
        hypergrad_clip = HypergradClip,
        grad_clip = GradClip,
        mode = (mada_mode)Mode,
        non_finite = (mada_non_finite_policy)NonFinitePolicy,
    };
}
