using Mada.Tests.Infrastructure;
using Mada.Tests.Vectors;

namespace Mada.Tests.Errors;

/// <summary>
/// A step that fails throws the right exception with the native message and changes nothing:
/// neither what can be read back, nor the hidden state, which is checked by continuing the run
/// and comparing it bit for bit with a twin that never saw the bad call.
/// </summary>
public sealed class StepFailureTests : LeakCheckedTest
{
    private const int StepsBefore = 3;
    private const int StepsAfter = 4;

    [Fact]
    public void WrongGradientShapeIsAnArgumentExceptionAndChangesNothing()
    {
        AssertBadStepChangesNothing(run =>
        {
            var tensors = run.File.Problem.Tensors;
            using var transposed = new Tensor(new float[tensors[0].X0.Length], [tensors[0].Shape[1], tensors[0].Shape[0]]);
            using var second = new Tensor(new float[tensors[1].X0.Length], tensors[1].Shape);
            NativeFailure.Expect<ArgumentException>(() => run.Optimizer.Step([transposed, second]));
        });
    }

    [Fact]
    public void GradientCountMismatchIsAnArgumentExceptionAndChangesNothing()
    {
        AssertBadStepChangesNothing(run =>
        {
            var gradients = run.Gradients(StepsBefore + 1);
            try
            {
                NativeFailure.Expect<ArgumentException>(() => run.Optimizer.Step([gradients[0]]));
                NativeFailure.Expect<ArgumentException>(() => run.Optimizer.Step([.. gradients, gradients[0]]));
            }
            finally
            {
                DisposeAll(gradients);
            }
        });
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void NonFiniteGradientFailsTheStepByDefaultAndChangesNothing(float poison)
    {
        AssertBadStepChangesNothing(run =>
        {
            Assert.Equal(NonFinitePolicy.Error, run.Optimizer.Options.NonFinitePolicy);
            var gradients = PoisonedGradients(run, poison);
            try
            {
                NativeFailure.Expect<NonFiniteGradientException>(() => run.Optimizer.Step(gradients));
            }
            finally
            {
                DisposeAll(gradients);
            }
        });
    }

    [Fact]
    public void NonFiniteGradientUnderSkipPolicyCountsASkipAndChangesNothingElse()
    {
        Func<MadaOptions, MadaOptions> skip = options => options with { NonFinitePolicy = NonFinitePolicy.Skip };
        AssertBadStepChangesNothing(
            run =>
            {
                var gradients = PoisonedGradients(run, float.NaN);
                try
                {
                    run.Optimizer.Step(gradients);
                }
                finally
                {
                    DisposeAll(gradients);
                }
            },
            skip,
            expectedSkips: 1);
    }

    [Fact]
    public void UnknownGroupIndexIsOutOfRange()
    {
        using var run = VectorRun.Start(TestVectors.AllLearningWithClipping);
        int groups = run.Optimizer.GroupCount;

        var tooLarge = Assert.Throws<ArgumentOutOfRangeException>(() => run.Optimizer.ParamGroups[groups]);
        Assert.Throws<ArgumentOutOfRangeException>(() => run.Optimizer.ParamGroups[-1]);

        Assert.Equal("index", tooLarge.ParamName);
    }

    [Fact]
    public void NegativeLearningRateIsRefusedAndKeepsTheOldOne()
    {
        using var run = VectorRun.Start(TestVectors.AllLearningWithClipping);
        var group = run.Optimizer.ParamGroups[0];
        double before = group.LearningRate;

        NativeFailure.Expect<ArgumentException>(() => group.LearningRate = -0.1);

        Assert.Equal(before, group.LearningRate);
    }

    private static void AssertBadStepChangesNothing(
        Action<VectorRun> badCall, Func<MadaOptions, MadaOptions>? adjust = null, long expectedSkips = 0)
    {
        var file = TestVectors.AllLearningWithClipping;
        using var run = VectorRun.Start(file, adjust);
        using var twin = VectorRun.Start(file, adjust);
        run.Steps(1, StepsBefore);
        twin.Steps(1, StepsBefore);
        var before = run.Capture();

        badCall(run);

        run.Capture().AssertIdenticalTo(before with { SkippedSteps = before.SkippedSteps + expectedSkips }, "right after the bad call");
        run.Steps(StepsBefore + 1, StepsBefore + StepsAfter);
        twin.Steps(StepsBefore + 1, StepsBefore + StepsAfter);
        var expected = twin.Capture();
        run.Capture().AssertIdenticalTo(expected with { SkippedSteps = expected.SkippedSteps + expectedSkips }, "after continuing");
    }

    /// <summary>The true gradients of the next step with one poisoned element in the last tensor.</summary>
    private static IReadOnlyList<Tensor> PoisonedGradients(VectorRun run, float poison)
    {
        var gradients = run.Gradients(StepsBefore + 1);
        var last = gradients[^1];
        float[] values = last.ToArray();
        values[values.Length / 2] = poison;
        last.Write(values);
        return gradients;
    }

    private static void DisposeAll(IEnumerable<Tensor> tensors)
    {
        foreach (var tensor in tensors)
        {
            tensor.Dispose();
        }
    }
}
