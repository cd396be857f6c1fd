using BenchmarkDotNet.Attributes;
using Mada.Native;

namespace Mada.Benchmarks;

/// <summary>
/// What the façade adds to one step call; the target is under 2 us and 0 bytes per call.
/// <list type="bullet">
/// <item>The same tiny problem (one parameter of one element) stepped through
/// <see cref="MadaOptimizer.Step"/> and through the raw generated P/Invoke (mada_optimizer_step on
/// a second, identically set up optimizer): overhead = FacadeStep - RawStep, end to end.</item>
/// <item>The same pair with the gradient null: the library only checks the call and returns, so
/// the native side does less (still tens of microseconds: libmada's step validates its options
/// and formats strings on every call), with less noise to hide a microsecond in.</item>
/// <item>The managed work of Step alone, around a near-empty native call, for 1 and 50 tensors:
/// the overhead itself, without the native step's noise.</item>
/// <item>mada_abi_version: the floor of any P/Invoke.</item>
/// </list>
/// </summary>
[MemoryDiagnoser]
public unsafe class StepOverheadBenchmarks
{
    private MadaOptimizer? optimizer;
    private Tensor? parameter;
    private Tensor[] gradients = [];
    private readonly Tensor?[] noGradients = [null];
    private Tensor[] fiftyGradients = []; // as many tensors as the ~10M list of StepBenchmarks

    private OptimizerHandle? rawOptimizer;
    private TensorHandle? rawParameter;
    private TensorHandle? rawGradient;
    private TensorPointer* rawGradients; // the C array of gradient pointers, outside the GC heap
    private TensorPointer* rawNoGradients; // { NULL }

    [GlobalSetup]
    public void Setup()
    {
        LibTorchThreads.Set(1);
        // lr small so the parameter stays well scaled over the tens of millions of calls of a run.
        var options = MadaOptions.Mada with { Lr = 1e-6 };

        parameter = new Tensor([0.5f], [1]);
        gradients = [new Tensor([0.01f], [1])];
        fiftyGradients = Enumerable.Range(0, 50).Select(_ => new Tensor([0.01f], [1])).ToArray();
        optimizer = new MadaOptimizer(options);
        optimizer.AddGroup([parameter]);

        var native = options.ToNative();
        float value = 0.5f, grad = 0.01f;
        long shape = 1;
        Check(NativeMethods.mada_tensor_create(&value, 1, &shape, 1, out rawParameter));
        Check(NativeMethods.mada_tensor_create(&grad, 1, &shape, 1, out rawGradient));
        Check(NativeMethods.mada_optimizer_create(&native, out rawOptimizer));
        var parameterPointer = new TensorPointer(rawParameter.DangerousGetHandle());
        Check(NativeMethods.mada_optimizer_add_group(rawOptimizer, &parameterPointer, 1, options.Lr, options.WeightDecay));
        rawGradients = (TensorPointer*)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)sizeof(TensorPointer));
        rawGradients[0] = new TensorPointer(rawGradient.DangerousGetHandle());
        rawNoGradients = (TensorPointer*)System.Runtime.InteropServices.NativeMemory.AllocZeroed((nuint)sizeof(TensorPointer));

        // State allocated, allocator primed, ArrayPool buckets filled: as bench/native does.
        for (int i = 0; i < 3; i++)
        {
            optimizer.Step(gradients);
            Check(NativeMethods.mada_optimizer_step(rawOptimizer!, rawGradients, 1));
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        optimizer?.Dispose();
        parameter?.Dispose();
        ParameterList.Dispose(gradients);
        ParameterList.Dispose(fiftyGradients);
        rawOptimizer?.Dispose();
        rawParameter?.Dispose();
        rawGradient?.Dispose();
        System.Runtime.InteropServices.NativeMemory.Free(rawGradients);
        System.Runtime.InteropServices.NativeMemory.Free(rawNoGradients);
    }

    /// <summary>The cheapest P/Invoke there is: no arguments, no work.</summary>
    [Benchmark(Description = "P/Invoke floor: mada_abi_version")]
    public uint AbiVersion() => NativeMethods.mada_abi_version();

    /// <summary>The generated import, called directly: what the step costs with no façade (LibraryImport still references the handle).</summary>
    [Benchmark(Baseline = true, Description = "raw mada_optimizer_step, 1 element")]
    public int RawStep() => (int)NativeMethods.mada_optimizer_step(rawOptimizer!, rawGradients, 1);

    /// <summary>The façade: the tensors' references, the pointer array, the status check.</summary>
    [Benchmark(Description = "MadaOptimizer.Step, 1 element")]
    public void FacadeStep() => optimizer!.Step(gradients);

    // The same calls with the one gradient null: the library checks the call and the parameter
    // and returns ("nothing moves, nothing to learn from") without the element passes. The
    // difference between these two is again the façade's overhead.

    [Benchmark(Description = "raw mada_optimizer_step, null gradient")]
    public int RawStepNoGradient() => (int)NativeMethods.mada_optimizer_step(rawOptimizer!, rawNoGradients, 1);

    [Benchmark(Description = "MadaOptimizer.Step, null gradient")]
    public void FacadeStepNoGradient() => optimizer!.Step(noGradients);

    /// <summary>
    /// The managed work of <see cref="MadaOptimizer.Step"/> alone: the same <see cref="TensorListLease"/>
    /// of the gradients, the same handle marshalling and status check, around a native call that
    /// does next to nothing (mada_tensor_numel, on the parameter's handle in place of the
    /// optimizer's) in place of the step. Mirrors OptimizerHandle.Step; keep the two alike.
    /// </summary>
    [Benchmark(Description = "Step's managed work, 1 tensor (native call: mada_tensor_numel)")]
    public nuint FacadeManagedWork() => ManagedWork(gradients);

    /// <summary>As <see cref="FacadeManagedWork"/> for 50 gradients: the per-tensor part of the cost.</summary>
    [Benchmark(Description = "Step's managed work, 50 tensors (native call: mada_tensor_numel)")]
    public nuint FacadeManagedWork50() => ManagedWork(fiftyGradients);

    private nuint ManagedWork(IReadOnlyList<Tensor?> grads)
    {
        using var tensors = new TensorListLease(grads, allowNull: true, nameof(grads));
        fixed (TensorPointer* pointers = tensors.Pointers)
        {
            nuint count;
            Ensure.Ok(NativeMethods.mada_tensor_numel(parameter!.Handle, &count));
            return pointers[0].Value == 0 ? 0 : count;
        }
    }

    private static void Check(mada_status status) => Ensure.Ok(status);
}
