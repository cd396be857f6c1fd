using System.Runtime.CompilerServices;
using Mada.Native;

namespace Mada.Tests.Lifetime;

/// <summary>Objects nobody disposes are still destroyed, by the SafeHandle finalizers.</summary>
public sealed class FinalizerTests
{
    private const int Tensors = 200;
    private const int Optimizers = 50;

    [Fact]
    public void UndisposedObjectsAreDestroyedByTheFinalizer()
    {
        long before = HandleCensus.LiveCount;

        CreateAndAbandon(before);

        for (int attempt = 0; attempt < 10 && HandleCensus.LiveCount > before; attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.Equal(before, HandleCensus.LiveCount);
    }

    // Not inlined, so no reference to the objects survives on the test's stack after it returns.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CreateAndAbandon(long liveBefore)
    {
        float[] values = new float[64];
        var keepUntilCounted = new List<object>();
        for (int i = 0; i < Tensors; i++)
        {
            keepUntilCounted.Add(new Tensor(values, [8, 8]));
        }
        for (int i = 0; i < Optimizers; i++)
        {
            var parameter = new Tensor(values);
            var optimizer = new MadaOptimizer(MadaOptions.Mada);
            optimizer.AddGroup([parameter]);
            keepUntilCounted.Add(parameter);
            keepUntilCounted.Add(optimizer);
        }
        Assert.Equal(liveBefore + Tensors + 2 * Optimizers, HandleCensus.LiveCount);
        GC.KeepAlive(keepUntilCounted);
    }
}
