using Mada.Native;

namespace Mada;

/// <summary>How an <see cref="OptimizerKind"/> relates to the MADA presets.</summary>
public static class OptimizerKindExtensions
{
    /// <summary>True for the eight kinds that are a <see cref="MadaOptimizer"/> preset and report coefficients.</summary>
    public static bool IsMadaFamily(this OptimizerKind kind) => kind is >= OptimizerKind.Mada and <= OptimizerKind.Lion;

    /// <summary>The preset a MADA-family kind trains with: its default lr and initial coefficients.</summary>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is not of the MADA family.</exception>
    public static MadaOptions Preset(this OptimizerKind kind) => kind.IsMadaFamily()
        ? MadaOptions.FromPreset((mada_preset)kind)  // the family's values are the presets' (asserted natively)
        : throw new ArgumentException($"{kind} is not of the MADA family and has no preset.", nameof(kind));
}
