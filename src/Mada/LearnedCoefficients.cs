namespace Mada;

/// <summary>Which coefficients learn by hypergradient descent (mada_options.learn).</summary>
[Flags]
public enum LearnedCoefficients
{
    /// <summary>All coefficients stay fixed.</summary>
    None = 0,

    /// <summary>beta1 learns.</summary>
    Beta1 = 1 << (int)Coefficient.Beta1,

    /// <summary>beta2 learns.</summary>
    Beta2 = 1 << (int)Coefficient.Beta2,

    /// <summary>beta3 learns.</summary>
    Beta3 = 1 << (int)Coefficient.Beta3,

    /// <summary>rho learns.</summary>
    Rho = 1 << (int)Coefficient.Rho,

    /// <summary>c learns.</summary>
    C = 1 << (int)Coefficient.C,

    /// <summary>gamma learns.</summary>
    Gamma = 1 << (int)Coefficient.Gamma,

    /// <summary>All six learn (MADA).</summary>
    All = Beta1 | Beta2 | Beta3 | Rho | C | Gamma,
}
