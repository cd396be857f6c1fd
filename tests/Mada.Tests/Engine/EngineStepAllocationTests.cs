using System.Runtime.InteropServices;
using Mada.Tests.Infrastructure;

namespace Mada.Tests.Engine;

/// <summary>
/// A warm MadaEngine step allocates nothing on the managed heap, whichever way the memory is
/// passed: the pointer arrays are on the stack (or pooled), pins are released after the call.
/// </summary>
public sealed class EngineStepAllocationTests : LeakCheckedTest
{
    private const int Warm = 5;
    private const int Measured = 100;

    [Theory]
    [InlineData(1)]
    [InlineData(50)]
    [InlineData(300)] // more than the stack holds: the pooled path
    public void WarmManagedStepAllocatesNothing(int parameterCount)
    {
        var parameters = new Memory<float>[parameterCount];
        var gradients = new ReadOnlyMemory<float>[parameterCount];
        for (int i = 0; i < parameterCount; i++)
        {
            parameters[i] = new float[] { 0.5f, -0.25f, 0.125f };
            // Every fifth parameter without a gradient: that path is part of the contract too.
            gradients[i] = i % 5 == 4 ? ReadOnlyMemory<float>.Empty : new float[] { 0.01f, 0.02f, -0.03f };
        }
        using var engine = new MadaEngine(MadaOptions.Mada with { Lr = 1e-4 });
        engine.AddGroup(Enumerable.Repeat(3L, parameterCount).ToArray());

        long allocated = AllocatedBy(() => engine.Step(parameters, gradients));

        Assert.Equal(0, allocated);
        Assert.Equal(Warm + Measured, engine.StepCount);
    }

    [Fact]
    public unsafe void WarmPointerAndSingleBufferStepsAllocateNothing()
    {
        float[] flat = new float[1001];
        float[] gradient = Enumerable.Range(0, flat.Length).Select(i => 1e-3f * i).ToArray();
        using var single = new MadaEngine(MadaOptions.Mada with { Lr = 1e-4 });
        single.AddGroup([flat.Length]);
        Assert.Equal(0, AllocatedBy(() => single.Step(flat, gradient)));

        nint parameter = (nint)NativeMemory.AllocZeroed(1001, sizeof(float));
        try
        {
            gradient.CopyTo(new Span<float>((void*)parameter, 1001));
            nint[] parameters = [parameter];
            fixed (float* g = gradient)
            {
                nint[] gradients = [(nint)g];
                using var engine = new MadaEngine(MadaOptions.Mada with { Lr = 1e-4 });
                engine.AddGroup([1001]);
                Assert.Equal(0, AllocatedBy(() => engine.Step(parameters, gradients)));
            }
        }
        finally
        {
            NativeMemory.Free((void*)parameter);
        }
    }

    private static long AllocatedBy(Action step)
    {
        for (int i = 0; i < Warm; i++)
        {
            step();
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Measured; i++)
        {
            step();
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
