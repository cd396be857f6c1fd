using Mada.Native;

namespace Mada;

/// <summary>What a step does with a gradient holding NaN or infinity.</summary>
public enum NonFinitePolicy
{
    /// <summary>Fail the step with <see cref="NonFiniteGradientException"/>, changing nothing (default).</summary>
    Error = (int)mada_non_finite_policy.MADA_NON_FINITE_ERROR,

    /// <summary>Skip the step, changing nothing but <see cref="MadaOptimizer.SkippedSteps"/>.</summary>
    Skip = (int)mada_non_finite_policy.MADA_NON_FINITE_SKIP,
}
