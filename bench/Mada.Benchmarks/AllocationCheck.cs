namespace Mada.Benchmarks;

/// <summary>
/// <c>--allocations</c>: the managed bytes MadaOptimizer.Step allocates, counted exactly. The
/// Allocated column of BenchmarkDotNet counts every thread of the process
/// (GC.GetTotalAllocatedBytes) and divides by the operations of the run, so on the slow cases,
/// which run few operations, a one-off allocation elsewhere in the process (runtime, timers)
/// can show as some bytes per step. This counts the calling thread alone, which is where the
/// façade runs, next to the process-wide count over the same steps.
/// </summary>
internal static class AllocationCheck
{
    public static int Run(long[] sizes, int[] threads, int steps)
    {
        bool clean = true;
        foreach (long n in sizes)
        {
            foreach (int t in threads)
            {
                LibTorchThreads.Set(t);
                var shapes = ParameterList.Shapes(n);
                var parameters = ParameterList.Create(shapes, scale: 0.02, seed: 0);
                var gradients = ParameterList.Create(shapes, scale: 0.01, seed: 1);
                try
                {
                    using var optimizer = new MadaOptimizer(MadaOptions.Mada with { Lr = 1e-4, GradClip = 1.0 });
                    optimizer.AddGroup(parameters);
                    for (int i = 0; i < 5; i++)
                    {
                        optimizer.Step(gradients);
                    }
                    long thread = GC.GetAllocatedBytesForCurrentThread();
                    long process = GC.GetTotalAllocatedBytes(precise: true);
                    for (int i = 0; i < steps; i++)
                    {
                        optimizer.Step(gradients);
                    }
                    thread = GC.GetAllocatedBytesForCurrentThread() - thread;
                    process = GC.GetTotalAllocatedBytes(precise: true) - process;
                    clean &= thread == 0;
                    Console.WriteLine(
                        $"{ParameterList.ElementCount(n),12:N0} params, {shapes.Count,3} tensors, {t} thread(s): {steps} steps allocated " +
                        $"{thread} B on the calling thread, {process} B in the whole process");
                }
                finally
                {
                    ParameterList.Dispose(parameters);
                    ParameterList.Dispose(gradients);
                }
            }
        }
        Console.WriteLine(clean ? "MadaOptimizer.Step allocated 0 managed bytes per call." : "MadaOptimizer.Step ALLOCATED on the managed heap.");
        return clean ? 0 : 1;
    }
}
