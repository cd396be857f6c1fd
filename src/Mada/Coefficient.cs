using Mada.Native;

namespace Mada;

/// <summary>The six MADA coefficients, in the specification's order.</summary>
public enum Coefficient
{
    /// <summary>First-moment decay.</summary>
    Beta1 = (int)mada_coefficient.MADA_COEFFICIENT_BETA1,

    /// <summary>Second-moment decay.</summary>
    Beta2 = (int)mada_coefficient.MADA_COEFFICIENT_BETA2,

    /// <summary>Weight of the gradient difference (Adan).</summary>
    Beta3 = (int)mada_coefficient.MADA_COEFFICIENT_BETA3,

    /// <summary>Mix between v and its running mean (0: AVGrad).</summary>
    Rho = (int)mada_coefficient.MADA_COEFFICIENT_RHO,

    /// <summary>Mix between Adam's and Yogi's second moment (0: Yogi).</summary>
    C = (int)mada_coefficient.MADA_COEFFICIENT_C,

    /// <summary>Mix between the Adam direction and Lion's sign (0: Lion).</summary>
    Gamma = (int)mada_coefficient.MADA_COEFFICIENT_GAMMA,
}
