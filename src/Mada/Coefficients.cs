using Mada.Native;

namespace Mada;

/// <summary>One value per MADA coefficient: the coefficients themselves, their bounds, hyper learning rates or hypergradient.</summary>
public readonly record struct Coefficients(double Beta1, double Beta2, double Beta3, double Rho, double C, double Gamma)
{
    /// <summary>Number of coefficients.</summary>
    public const int Count = (int)mada_coefficient.MADA_COEFFICIENT_COUNT;

    /// <summary>The value of one coefficient.</summary>
    public double this[Coefficient coefficient] => coefficient switch
    {
        Coefficient.Beta1 => Beta1,
        Coefficient.Beta2 => Beta2,
        Coefficient.Beta3 => Beta3,
        Coefficient.Rho => Rho,
        Coefficient.C => C,
        Coefficient.Gamma => Gamma,
        _ => throw new ArgumentOutOfRangeException(nameof(coefficient), coefficient, "Not a MADA coefficient."),
    };

    /// <summary>The values in <see cref="Coefficient"/> order.</summary>
    public double[] ToArray() => [Beta1, Beta2, Beta3, Rho, C, Gamma];

    /// <summary>Values in <see cref="Coefficient"/> order.</summary>
    public static Coefficients FromSpan(ReadOnlySpan<double> values)
    {
        if (values.Length != Count)
        {
            throw new ArgumentException($"Expected {Count} values, got {values.Length}.", nameof(values));
        }
        return new(values[0], values[1], values[2], values[3], values[4], values[5]);
    }

    internal static Coefficients FromNative(in mada_coefficients native) =>
        new(native.beta1, native.beta2, native.beta3, native.rho, native.c, native.gamma);

    internal mada_coefficients ToNative() => new()
    {
        beta1 = Beta1,
        beta2 = Beta2,
        beta3 = Beta3,
        rho = Rho,
        c = C,
        gamma = Gamma,
    };
}
