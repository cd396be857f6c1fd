using System.Globalization;

namespace Mada.Tests.Vectors;

/// <summary>
/// Compares a run with a vector file step by step, with the required float32 tolerances of
/// FORMAT.md (<see cref="VectorTolerances"/>), and
/// collects every mismatch so a failure shows where the run first left the file.
/// </summary>
public sealed class VectorChecker
{
    private const int MismatchesShown = 12;

    private readonly VectorFile file;
    private readonly string name;
    private readonly VectorTolerances tolerances = VectorTolerances.Float32;
    private readonly Coefficients hypergradientTolerance;
    private readonly List<string> mismatches = [];

    public VectorChecker(VectorFile file, string name)
    {
        this.file = file;
        this.name = name;
        double[] largest = new double[Coefficients.Count];
        foreach (var step in file.Steps)
        {
            double[] h = step.Hypergrad.ToCoefficients().ToArray();
            for (int k = 0; k < largest.Length; k++)
            {
                largest[k] = Math.Max(largest[k], Math.Abs(h[k]));
            }
        }
        hypergradientTolerance = Coefficients.FromSpan(
            largest.Select(max => tolerances.HRelativeToFileMax * max).ToArray());
    }

    public int StepsChecked { get; private set; }

    /// <summary>Checks the run's state after update <paramref name="t"/> against steps[t-1]: x, q, hypergradient, grad norm.</summary>
    public void CheckStep(VectorRun run, int t) => CheckStep(RunState.Of(run), t);

    /// <summary>Checks a captured state (of any optimizer) after update <paramref name="t"/> against steps[t-1].</summary>
    public void CheckStep(RunState state, int t)
    {
        var expected = file.Steps[t - 1];
        StepsChecked++;

        double largestDifference = 0;
        double largestExpected = 0;
        for (int i = 0; i < state.Parameters.Count; i++)
        {
            float[] actual = state.Parameters[i];
            for (int j = 0; j < actual.Length; j++)
            {
                largestDifference = Math.Max(largestDifference, Math.Abs(actual[j] - expected.X[i][j]));
                largestExpected = Math.Max(largestExpected, Math.Abs(expected.X[i][j]));
            }
        }
        double relative = largestDifference / Math.Max(largestExpected, double.Epsilon);
        if (!(relative <= tolerances.XRelative))
        {
            Mismatch(t, $"x: max |diff| / max |x| = {Format(relative)} > {Format(tolerances.XRelative)}");
        }

        var q = state.Coefficients;
        var h = state.Hypergradient;
        var expectedQ = expected.Q.ToCoefficients();
        var expectedH = expected.Hypergrad.ToCoefficients();
        foreach (var k in Enum.GetValues<Coefficient>())
        {
            Compare(t, $"q.{k}", q[k], expectedQ[k], tolerances.QAbsolute);
            Compare(t, $"hypergradient.{k}", h[k], expectedH[k], hypergradientTolerance[k]);
        }

        Compare(t, "grad_norm", state.GradNorm, expected.GradNorm, tolerances.GradNormRelative * expected.GradNorm);
    }

    /// <summary>Fails the test when any step differed, listing the first mismatches.</summary>
    public void AssertAllMatched()
    {
        Assert.True(StepsChecked > 0, "No step was checked.");
        if (mismatches.Count > 0)
        {
            Assert.Fail(
                $"{name} ({file.Mode} mode): {mismatches.Count} mismatch(es) in {StepsChecked} checked steps; first ones:\n  " +
                string.Join("\n  ", mismatches.Take(MismatchesShown)));
        }
    }

    private void Compare(int t, string what, double actual, double expected, double tolerance)
    {
        if (!(Math.Abs(actual - expected) <= tolerance))
        {
            Mismatch(t, $"{what} = {Format(actual)}, expected {Format(expected)} (tolerance {Format(tolerance)})");
        }
    }

    private void Mismatch(int t, string text) => mismatches.Add($"step {t}: {text}");

    private static string Format(double value) => value.ToString("G9", CultureInfo.InvariantCulture);
}
