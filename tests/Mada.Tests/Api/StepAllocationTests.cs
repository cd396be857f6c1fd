using Mada.Tests.Infrastructure;

namespace Mada.Tests.Api;

/// <summary>
/// MadaOptimizer.Step allocates nothing on the managed heap once warm: the pointer array and the
/// handle list come from ArrayPool, the tensor list lease is a ref struct, and the import's
/// SafeHandle marshaller is a struct that only references the optimizer's handle. (What
/// bench/Mada.Benchmarks shows with [MemoryDiagnoser]; here as a guard against regressions.)
/// </summary>
public sealed class StepAllocationTests : LeakCheckedTest
{
    [Theory]
    [InlineData(1)]
    [InlineData(50)]
    public void WarmStepAllocatesNoManagedMemory(int tensorCount)
    {
        var parameters = new Tensor[tensorCount];
        var gradients = new Tensor?[tensorCount];
        for (int i = 0; i < tensorCount; i++)
        {
            parameters[i] = new Tensor([0.5f, -0.25f, 0.125f]);
            // Every fifth parameter without a gradient: the null path is part of the contract too.
            gradients[i] = i % 5 == 4 ? null : new Tensor([0.01f, 0.02f, -0.03f]);
        }
        try
        {
            using var optimizer = new MadaOptimizer(MadaOptions.Mada with { Lr = 1e-4 });
            optimizer.AddGroup(parameters);
            IReadOnlyList<Tensor?> asArray = gradients;
            IReadOnlyList<Tensor?> asList = gradients.ToList();
            for (int i = 0; i < 5; i++)
            {
                optimizer.Step(asArray);
                optimizer.Step(asList);
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++)
            {
                optimizer.Step(asArray);
                optimizer.Step(asList);
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(0, allocated);
            Assert.Equal(210, optimizer.StepCount);
        }
        finally
        {
            foreach (var t in parameters)
            {
                t.Dispose();
            }
            foreach (var t in gradients)
            {
                t?.Dispose();
            }
        }
    }
}
