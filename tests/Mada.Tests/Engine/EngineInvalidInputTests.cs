using Mada.Tests.Infrastructure;
using Mada.Tests.Vectors;

namespace Mada.Tests.Engine;

/// <summary>Bad input to the engine is the right exception, and the engine and the parameters stay as they were.</summary>
public sealed class EngineInvalidInputTests : LeakCheckedTest
{
    private const int StepsBefore = 3;
    private const int StepsAfter = 3;

    [Fact]
    public void ParameterOfTheWrongLengthIsRefusedBeforeTheCall()
    {
        AssertBadStepChangesNothing(run =>
        {
            var (parameters, gradients) = NextStepMemory(run);
            parameters[^1] = parameters[^1][1..];
            var error = Assert.Throws<ArgumentException>(() => run.Engine.Step(parameters, gradients));
            Assert.Equal("parameters", error.ParamName);
            Assert.Contains($"parameters[{parameters.Length - 1}]", error.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void GradientOfTheWrongLengthIsRefusedBeforeTheCall()
    {
        AssertBadStepChangesNothing(run =>
        {
            var (parameters, gradients) = NextStepMemory(run);
            gradients[0] = new float[gradients[0].Length + 1];
            var error = Assert.Throws<ArgumentException>(() => run.Engine.Step(parameters, gradients));
            Assert.Equal("gradients", error.ParamName);
        });
    }

    [Fact]
    public void WrongNumberOfParametersOrGradientsIsRefused()
    {
        AssertBadStepChangesNothing(run =>
        {
            var (parameters, gradients) = NextStepMemory(run);
            Assert.Equal("parameters", Assert.Throws<ArgumentException>(() => run.Engine.Step(parameters[1..], gradients[1..])).ParamName);
            Assert.Equal("gradients", Assert.Throws<ArgumentException>(() => run.Engine.Step(parameters, gradients[1..])).ParamName);
            Assert.Equal("parameters", Assert.Throws<ArgumentException>(() => run.Engine.Step(ReadOnlySpan<nint>.Empty, ReadOnlySpan<nint>.Empty)).ParamName);
            Assert.Throws<InvalidOperationException>(() => run.Engine.Step(new float[3], new float[3]));
        });
    }

    [Fact]
    public void NullParameterPointerIsTheLibrarysArgumentError()
    {
        AssertBadStepChangesNothing(run =>
        {
            var pointers = new nint[run.Parameters.Count];
            NativeFailure.Expect<ArgumentException>(() => run.Engine.Step(pointers, pointers));
        });
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void NonFiniteGradientUnderTheErrorPolicyChangesNothing(float poison)
    {
        AssertBadStepChangesNothing(run =>
        {
            Assert.Equal(NonFinitePolicy.Error, run.Engine.Options.NonFinitePolicy);
            var (parameters, gradients) = NextStepMemory(run);
            float[] last = gradients[^1].ToArray();
            last[last.Length / 2] = poison;
            gradients[^1] = last;
            NativeFailure.Expect<NonFiniteGradientException>(() => run.Engine.Step(parameters, gradients));
        });
    }

    [Fact]
    public void NonFiniteGradientUnderTheSkipPolicyIsCounted()
    {
        AssertBadStepChangesNothing(
            run =>
            {
                var (parameters, gradients) = NextStepMemory(run);
                float[] first = gradients[0].ToArray();
                first[0] = float.NaN;
                gradients[0] = first;
                run.Engine.Step(parameters, gradients);
            },
            options => options with { NonFinitePolicy = NonFinitePolicy.Skip },
            expectedSkips: 1);
    }

    [Fact]
    public void UnknownGroupIsOutOfRangeAndBadLrKeepsTheOldOne()
    {
        using var run = EngineVectorRun.Start(TestVectors.AllLearningWithClipping);
        int groups = run.Engine.GroupCount;
        var group = run.Engine.ParamGroups[0];
        double before = group.LearningRate;

        Assert.Equal("index", Assert.Throws<ArgumentOutOfRangeException>(() => run.Engine.ParamGroups[groups]).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => run.Engine.ParamGroups[-1]);
        NativeFailure.Expect<ArgumentException>(() => group.LearningRate = -0.1);
        NativeFailure.Expect<ArgumentException>(() => group.WeightDecay = -1);

        Assert.Equal(before, group.LearningRate);
    }

    [Fact]
    public void ASchedulerWritingAValueTheStepWouldRefuseIsToldAtItsWrite()
    {
        using var engine = new MadaEngine(MadaOptions.Mada with { Lr = 1e-2, WeightDecay = 0.01 });
        engine.AddGroup([4]);
        var group = engine.ParamGroups[0];

        var lr = NativeFailure.Expect<ArgumentException>(() => group.LearningRate = 1e30);
        var decay = NativeFailure.Expect<ArgumentException>(() => group.WeightDecay = 300);

        Assert.Contains("lr = 1e+30 is above", lr.Message, StringComparison.Ordinal);
        Assert.Contains("lr x weight_decay = 3 is above 2", decay.Message, StringComparison.Ordinal);
        Assert.Equal((1e-2, 0.01), (group.LearningRate, group.WeightDecay));
    }

    [Fact]
    public void TheCpuKernelIsOneOfTheThreeAndTheWidestTheProcessorHas()
    {
        string kernel = MadaEngine.CpuKernel;
        string cpu = File.ReadAllText("/proc/cpuinfo");
        bool avx512 = new[] { " avx512f", " avx512bw", " avx512dq", " avx512vl" }.All(f => cpu.Contains(f, StringComparison.Ordinal));
        string widest = avx512 ? "avx512" : cpu.Contains(" avx2", StringComparison.Ordinal) ? "avx2" : "baseline";

        Assert.Contains(kernel, new[] { "baseline", "avx2", "avx512" });
        if (Environment.GetEnvironmentVariable("MADA_CPU_KERNEL") is null)
        {
            Assert.Equal(widest, kernel);
        }
    }

    [Fact]
    public void StateTooLargeForTheMemoryIsInsufficientMemoryAndAddsNothing()
    {
        using var engine = new MadaEngine(MadaOptions.Mada);

        NativeFailure.Expect<InsufficientMemoryException>(() => engine.AddGroup([1L << 40]));

        Assert.Equal((0, 0), (engine.GroupCount, engine.ParameterCount));
    }

    [Fact]
    public void LrAndWeightDecayPerGroupAreKept()
    {
        using var engine = new MadaEngine(MadaOptions.Mada with { Lr = 0.125, WeightDecay = 0.5 });
        engine.AddGroup([4, 5]);
        engine.AddGroup([6], lr: 0.25, weightDecay: 0.75);

        engine.ParamGroups[0].LearningRate = 0.0625;
        engine.ParamGroups[1].WeightDecay = 0.375;

        Assert.Equal((2, 3), (engine.GroupCount, engine.ParameterCount));
        Assert.Equal([4L, 5L, 6L], Enumerable.Range(0, 3).Select(engine.GetElementCount));
        Assert.Equal([(0.0625, 0.5), (0.25, 0.375)], engine.ParamGroups.Select(g => (g.LearningRate, g.WeightDecay)));
    }

    [Theory]
    [InlineData(new long[] { 3, 0 })]
    [InlineData(new long[] { -1 })]
    public void BadGroupIsTheLibrarysArgumentErrorAndAddsNothing(long[] counts)
    {
        using var engine = new MadaEngine(MadaOptions.Mada);
        engine.AddGroup([2]);

        NativeFailure.Expect<ArgumentException>(() => engine.AddGroup(counts));

        Assert.Equal((1, 1), (engine.GroupCount, engine.ParameterCount));
    }

    [Fact]
    public void NegativeThreadCountIsOutOfRange()
    {
        using var engine = new MadaEngine(MadaOptions.Mada);
        engine.Threads = 2;

        NativeFailure.Expect<ArgumentOutOfRangeException>(() => engine.Threads = -1);

        Assert.Equal(2, engine.Threads);
    }

    [Fact]
    public void DisposedEngineIsObjectDisposedAndTheParametersStay()
    {
        float[] parameter = [1f, 2f, 3f];
        var engine = new MadaEngine(MadaOptions.Mada);
        engine.AddGroup([3]);
        engine.Dispose();
        engine.Dispose();

        Assert.Throws<ObjectDisposedException>(() => engine.Step([parameter], [new float[3]]));
        Assert.Throws<ObjectDisposedException>(() => engine.Step(parameter, new float[3]));
        Assert.Throws<ObjectDisposedException>(() => engine.Step([0], [0]));
        Assert.Throws<ObjectDisposedException>(() => engine.StepCount);
        Assert.Throws<ObjectDisposedException>(() => engine.ParameterCount);
        Assert.Throws<ObjectDisposedException>(() => engine.SaveToBytes());
        Assert.Throws<ObjectDisposedException>(() => engine.AddGroup([1]));
        Assert.Throws<ObjectDisposedException>(() => engine.ParamGroups[0].LearningRate = 0.1);
        Assert.Equal([1f, 2f, 3f], parameter);
    }

    [Fact]
    public void InvalidOptionsAreRefusedAtCreation()
    {
        NativeFailure.Expect<ArgumentException>(() => new MadaEngine(MadaOptions.Mada with { Eps = -1 }).Dispose());
    }

    private static (Memory<float>[] Parameters, ReadOnlyMemory<float>[] Gradients) NextStepMemory(EngineVectorRun run)
    {
        var gradients = run.ComputeGradients(StepsBefore + 1).Select(g => new ReadOnlyMemory<float>(g.ToArray())).ToArray();
        var parameters = run.Parameters.Select(p => new Memory<float>(p)).ToArray();
        return (parameters, gradients);
    }

    private static void AssertBadStepChangesNothing(
        Action<EngineVectorRun> badCall, Func<MadaOptions, MadaOptions>? adjust = null, long expectedSkips = 0)
    {
        var file = TestVectors.AllLearningWithClipping;
        using var run = EngineVectorRun.Start(file, adjust);
        using var twin = EngineVectorRun.Start(file, adjust);
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
}
