namespace Mada.Tests.Vectors;

/// <summary>Everything observable about an optimizer and its parameters at one moment.</summary>
public sealed record RunState(
    IReadOnlyList<float[]> Parameters, Coefficients Coefficients, Coefficients Hypergradient,
    long StepCount, long SkippedSteps, double GradNorm)
{
    public static RunState Of(VectorRun run) => new(
        run.Parameters.Select(p => p.ToArray()).ToList(),
        run.Optimizer.Coefficients,
        run.Optimizer.Hypergradient,
        run.Optimizer.StepCount,
        run.Optimizer.SkippedSteps,
        run.Optimizer.GradNorm);

    /// <summary>The same for an engine run; the parameter arrays are copied.</summary>
    public static RunState Of(EngineVectorRun run) => new(
        run.Parameters.Select(p => p.ToArray()).ToList(),
        run.Engine.Coefficients,
        run.Engine.Hypergradient,
        run.Engine.StepCount,
        run.Engine.SkippedSteps,
        run.Engine.GradNorm);

    /// <summary>Asserts bit-for-bit equality with <paramref name="expected"/> of everything observable.</summary>
    public void AssertIdenticalTo(RunState expected, string context)
    {
        Assert.True(expected.StepCount == StepCount, $"{context}: step count {StepCount}, expected {expected.StepCount}");
        Assert.True(expected.SkippedSteps == SkippedSteps, $"{context}: skipped steps {SkippedSteps}, expected {expected.SkippedSteps}");
        AssertSameBits(expected.GradNorm, GradNorm, $"{context}: grad norm");
        foreach (var coefficient in Enum.GetValues<Coefficient>())
        {
            AssertSameBits(expected.Coefficients[coefficient], Coefficients[coefficient], $"{context}: {coefficient}");
            AssertSameBits(expected.Hypergradient[coefficient], Hypergradient[coefficient], $"{context}: hypergradient of {coefficient}");
        }
        Assert.Equal(expected.Parameters.Count, Parameters.Count);
        for (int i = 0; i < Parameters.Count; i++)
        {
            for (int j = 0; j < Parameters[i].Length; j++)
            {
                if (BitConverter.SingleToInt32Bits(Parameters[i][j]) != BitConverter.SingleToInt32Bits(expected.Parameters[i][j]))
                {
                    Assert.Fail($"{context}: parameter {i}[{j}] is {Parameters[i][j]:R}, expected {expected.Parameters[i][j]:R}");
                }
            }
        }
    }

    private static void AssertSameBits(double expected, double actual, string what)
    {
        if (BitConverter.DoubleToInt64Bits(expected) != BitConverter.DoubleToInt64Bits(actual))
        {
            Assert.Fail($"{what} is {actual:R}, expected {expected:R}");
        }
    }
}
