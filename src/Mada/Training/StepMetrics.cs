using Mada.Native;

namespace Mada;

/// <summary>What one <see cref="Trainer.Step"/> did.</summary>
/// <param name="Step">The step just taken, counting from 1.</param>
/// <param name="Loss">Training loss, the mean over the step's micro-batches.</param>
/// <param name="Lr">The learning rate the step used.</param>
/// <param name="GradNorm">Global L2 norm of the gradient, before clipping.</param>
/// <param name="Coefficients">The coefficients the update used; null outside the MADA family.</param>
/// <param name="Hypergradient">The hypergradient of the coefficients; null outside the MADA family.</param>
public readonly record struct StepMetrics(
    long Step, double Loss, double Lr, double GradNorm, Coefficients? Coefficients, Coefficients? Hypergradient)
{
    internal static StepMetrics FromNative(in mada_step_metrics native)
    {
        bool family = native.has_coefficients != 0;
        return new StepMetrics(
            native.step,
            native.loss,
            native.lr,
            native.grad_norm,
            family ? global::Mada.Coefficients.FromNative(native.coefficients) : null,
            family ? global::Mada.Coefficients.FromNative(native.hypergradient) : null);
    }
}
