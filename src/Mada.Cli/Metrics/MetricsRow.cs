namespace Mada.Cli.Metrics;

/// <summary>One logged step: what the trainer reported, and the evaluation when there was one.</summary>
/// <param name="Step">The step, counting from 1.</param>
/// <param name="Loss">Training loss of the step.</param>
/// <param name="Lr">Learning rate of the step.</param>
/// <param name="GradNorm">Gradient norm before clipping.</param>
/// <param name="Coefficients">The MADA coefficients the step used; null outside the MADA family.</param>
/// <param name="EvalLoss">Held-out loss after the step, when evaluated.</param>
/// <param name="EvalAccuracy">Held-out accuracy after the step, when evaluated.</param>
/// <param name="ElapsedSeconds">Wall time since the run started, summed over resumed sessions.</param>
internal readonly record struct MetricsRow(
    long Step,
    double Loss,
    double Lr,
    double GradNorm,
    Coefficients? Coefficients,
    double? EvalLoss,
    double? EvalAccuracy,
    double ElapsedSeconds)
{
    public static MetricsRow From(in StepMetrics step, EvalMetrics? eval, double elapsedSeconds) =>
        new(step.Step, step.Loss, step.Lr, step.GradNorm, step.Coefficients, eval?.Loss, eval?.Accuracy, elapsedSeconds);
}
