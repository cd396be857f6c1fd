using System.Runtime.InteropServices;
using Mada.Tests.Infrastructure;
using Mada.Tests.Vectors;

namespace Mada.Tests.Engine;

/// <summary>
/// MadaEngine and the Tensor-based MadaOptimizer run the same kernel core, so on the same problem
/// they agree bit for bit; so do the engine's three ways of passing memory.
/// </summary>
public sealed class EngineEquivalenceTests : LeakCheckedTest
{
    private const int Steps = 12;

    public static TheoryData<Mode> Modes => [Mode.Paper, Mode.Reference];

    /// <summary>Both committed problems: constant lr (mada_mid_gradclip) and a schedule set every step (paper_mada_from_adam).</summary>
    public static TheoryData<string, Mode> FilesAndModes => new()
    {
        { "mada_mid_gradclip.json", Mode.Paper },
        { "mada_mid_gradclip.json", Mode.Reference },
        { "paper_mada_from_adam.json", Mode.Paper },
        { "paper_mada_from_adam.json", Mode.Reference },
    };

    [Theory]
    [MemberData(nameof(FilesAndModes))]
    public void EngineEqualsTheTensorOptimizerBitForBit(string name, Mode mode)
    {
        var file = VectorFile.Load(Path.Combine(RepoLayout.VectorsDirectory, name));
        using var optimizer = VectorRun.Start(file, options => options with { Mode = mode });
        using var engine = EngineVectorRun.Start(file, options => options with { Mode = mode });

        for (int t = 1; t <= file.Steps.Count; t++)
        {
            optimizer.Step(t);
            engine.Step(t);
            engine.Capture().AssertIdenticalTo(optimizer.Capture(), $"{name}, {mode} mode, step {t}");
        }
        Assert.Equal(file.Steps.Count, engine.Engine.StepCount);
    }

    /// <summary>Parameters and gradients in native memory, stepped through pointers, give the float[] run's bits.</summary>
    [Theory]
    [MemberData(nameof(Modes))]
    public unsafe void NativePointersEqualManagedArrays(Mode mode)
    {
        var file = TestVectors.PaperMode;
        using var managed = EngineVectorRun.Start(file, options => options with { Mode = mode });
        int count = file.Problem.Tensors.Count;
        var parameters = new nint[count];
        var gradients = new nint[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                float[] x0 = file.Problem.Tensors[i].X0;
                parameters[i] = (nint)NativeMemory.Alloc((nuint)x0.Length, sizeof(float));
                gradients[i] = (nint)NativeMemory.Alloc((nuint)x0.Length, sizeof(float));
                x0.CopyTo(new Span<float>((void*)parameters[i], x0.Length));
            }
            using var engine = new MadaEngine(VectorRun.OptionsFor(file) with { Mode = mode });
            for (int i = 0; i < count; i++)
            {
                engine.AddGroup([file.Problem.Tensors[i].X0.LongLength], file.Steps[0].Lr, file.Problem.Tensors[i].WeightDecay);
            }

            for (int t = 1; t <= Steps; t++)
            {
                managed.Step(t);
                for (int i = 0; i < count; i++)
                {
                    int length = file.Problem.Tensors[i].X0.Length;
                    engine.ParamGroups[i].LearningRate = file.Steps[t - 1].Lr;
                    VectorRun.Gradient(file, t, i, new ReadOnlySpan<float>((void*)parameters[i], length), new Span<float>((void*)gradients[i], length));
                }
                engine.Step(parameters, gradients);

                var state = new RunState(
                    parameters.Select((p, i) => new ReadOnlySpan<float>((void*)p, file.Problem.Tensors[i].X0.Length).ToArray()).ToList(),
                    engine.Coefficients, engine.Hypergradient, engine.StepCount, engine.SkippedSteps, engine.GradNorm);
                state.AssertIdenticalTo(managed.Capture(), $"{mode} mode, step {t}");
            }
        }
        finally
        {
            foreach (nint p in parameters.Concat(gradients))
            {
                NativeMemory.Free((void*)p);
            }
        }
    }

    /// <summary>The one-parameter overload (a flat buffer) equals the span-of-Memory overload, gradient-less steps included.</summary>
    [Fact]
    public void SingleBufferOverloadEqualsTheListOverload()
    {
        var options = MadaOptions.Mada with { Lr = 0.01 };
        float[] viaSpan = Enumerable.Range(0, 37).Select(i => MathF.Sin(i)).ToArray();
        float[] viaList = (float[])viaSpan.Clone();
        float[] gradient = new float[viaSpan.Length];
        using var single = new MadaEngine(options);
        using var list = new MadaEngine(options);
        single.AddGroup([viaSpan.Length]);
        list.AddGroup([viaList.Length]);

        for (int t = 1; t <= Steps; t++)
        {
            for (int j = 0; j < gradient.Length; j++)
            {
                gradient[j] = viaSpan[j] - 0.5f + 0.01f * MathF.Cos(t * j);
            }
            bool none = t % 5 == 0;
            single.Step(viaSpan, none ? [] : gradient);
            list.Step([viaList], [none ? ReadOnlyMemory<float>.Empty : gradient]);
        }

        Assert.Equal(viaList.Select(BitConverter.SingleToInt32Bits), viaSpan.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(list.Coefficients, single.Coefficients);
        Assert.Equal(list.StepCount, single.StepCount);
        Assert.NotEqual(Enumerable.Range(0, 37).Select(i => MathF.Sin(i)), viaSpan);
    }
}
