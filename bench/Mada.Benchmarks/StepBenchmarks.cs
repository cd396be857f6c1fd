using BenchmarkDotNet.Attributes;

namespace Mada.Benchmarks;

/// <summary>
/// The façade step on the GPT-2-like parameter lists of bench/native (about 1M and 10M float32
/// parameters in many tensors of mixed sizes), at 1 and 2 libtorch threads like BM_MadaStep:
/// MADA preset, lr 1e-4, gradient clipping at norm 1. The gradients are made once and every step
/// reuses them. Compare with BM_MadaStep of build/bench/mada_step_benchmark.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(StepColumnsConfig))]
public class StepBenchmarks
{
    private MadaOptimizer? optimizer;
    private Tensor[] parameters = [];
    private Tensor[] gradients = [];

    /// <summary>Requested parameter count (the list holds a little more: see the Params column).</summary>
    [Params(1_000_000, 10_000_000)]
    public int Elements { get; set; }

    /// <summary>at::set_num_threads, as the native benchmark's second argument.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        LibTorchThreads.Set(Threads);
        var shapes = ParameterList.Shapes(Elements);
        parameters = ParameterList.Create(shapes, scale: 0.02, seed: 0);
        gradients = ParameterList.Create(shapes, scale: 0.01, seed: 1);
        optimizer = new MadaOptimizer(MadaOptions.Mada with { Lr = 1e-4, GradClip = 1.0 });
        optimizer.AddGroup(parameters);
        for (int i = 0; i < 3; i++)
        {
            optimizer.Step(gradients);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        optimizer?.Dispose();
        ParameterList.Dispose(parameters);
        ParameterList.Dispose(gradients);
    }

    [Benchmark(Description = "MadaOptimizer.Step")]
    public void FacadeStep() => optimizer!.Step(gradients);
}
