using System.Buffers;

namespace Mada.Native;

/// <summary>
/// A mada_engine of libmada_kernels, and the checked calls on it (<see cref="MadaEngine"/>'s
/// glue); destroying it frees the optimizer state, never the caller's parameters. The steps
/// allocate nothing on the managed heap: pointer arrays live on the stack (or in a pooled array
/// for many parameters) and managed memory is pinned for the call only.
/// </summary>
internal sealed unsafe class EngineHandle : MadaHandle<EngineHandle>, IParamGroupCalls
{
    // Up to this many parameters the step's pointer arrays live on the stack (2 KiB).
    private const int StackPointerCount = 256;

    /// <summary>mada_cpu_kernel: the variant steps use in this process.</summary>
    public static string CpuKernel()
    {
        const int Capacity = 32;
        byte* name = stackalloc byte[Capacity];
        nuint length;
        Ensure.Ok(KernelMethods.mada_cpu_kernel(name, Capacity, &length));
        return System.Text.Encoding.ASCII.GetString(name, (int)Math.Min(length, (nuint)(Capacity - 1)));
    }

    public static EngineHandle Create(MadaOptions options)
    {
        var native = options.ToNative();
        return Ensure.Created(KernelMethods.mada_engine_create(&native, out var created), created);
    }

    public int GroupCount => checked((int)Read<nuint>(&KernelMethods.mada_engine_group_count));

    public Coefficients Coefficients => Coefficients.FromNative(Read<mada_coefficients>(&KernelMethods.mada_engine_coefficients));

    public Coefficients Hypergradient => Coefficients.FromNative(Read<mada_coefficients>(&KernelMethods.mada_engine_hypergradient));

    public long StepCount => Read<long>(&KernelMethods.mada_engine_step_count);

    public long SkippedSteps => Read<long>(&KernelMethods.mada_engine_skipped_steps);

    public double GradNorm => Read<double>(&KernelMethods.mada_engine_grad_norm);

    public double GetLr(int group) => ReadOfGroup(group, &KernelMethods.mada_engine_lr);

    public void SetLr(int group, double lr) =>
        Ensure.Ok(KernelMethods.mada_engine_set_lr(this, checked((nuint)group), lr));

    public double GetWeightDecay(int group) => ReadOfGroup(group, &KernelMethods.mada_engine_weight_decay);

    public void SetWeightDecay(int group, double weightDecay) =>
        Ensure.Ok(KernelMethods.mada_engine_set_weight_decay(this, checked((nuint)group), weightDecay));

    /// <exception cref="ArgumentOutOfRangeException">The library refuses the value (negative).</exception>
    public void SetThreads(int threads, string paramName) =>
        Ensure.OkInRange(KernelMethods.mada_engine_set_threads(this, threads), paramName);

    public void AddGroup(ReadOnlySpan<long> elementCounts, double lr, double weightDecay)
    {
        long empty = 0;
        fixed (long* counts = elementCounts)
        {
            Ensure.Ok(KernelMethods.mada_engine_add_group(
                this, elementCounts.IsEmpty ? &empty : counts, (nuint)elementCounts.Length,
                mada_dtype.MADA_DTYPE_FLOAT32, lr, weightDecay));
        }
    }

    public void SetCoefficients(Coefficients coefficients)
    {
        var native = coefficients.ToNative();
        Ensure.Ok(KernelMethods.mada_engine_set_coefficients(this, &native));
    }

    /// <summary>One step over memory pinned for the call; an empty gradient is NULL (none this step).</summary>
    public void Step(ReadOnlySpan<Memory<float>> parameters, ReadOnlySpan<ReadOnlyMemory<float>> gradients)
    {
        int count = parameters.Length;
        nint[]? rented = null;
        Span<nint> pointers = 2 * count <= StackPointerCount
            ? stackalloc nint[StackPointerCount]
            : (rented = ArrayPool<nint>.Shared.Rent(2 * count));
        var pins = ArrayPool<MemoryHandle>.Shared.Rent(2 * count);
        int pinned = 0;
        try
        {
            for (int i = 0; i < count; i++)
            {
                pins[pinned] = parameters[i].Pin();
                pointers[i] = (nint)pins[pinned++].Pointer;
            }
            for (int i = 0; i < count; i++)
            {
                if (gradients[i].IsEmpty)
                {
                    pointers[count + i] = 0;
                    continue;
                }
                pins[pinned] = gradients[i].Pin();
                pointers[count + i] = (nint)pins[pinned++].Pointer;
            }
            fixed (nint* all = pointers)
            {
                Step(all, all + count, count);
            }
        }
        finally
        {
            for (int i = 0; i < pinned; i++)
            {
                pins[i].Dispose();
            }
            pins.AsSpan(0, pinned).Clear();
            ArrayPool<MemoryHandle>.Shared.Return(pins);
            if (rented is not null)
            {
                ArrayPool<nint>.Shared.Return(rented);
            }
        }
    }

    /// <summary>One step of a single parameter; an empty gradient is NULL (none this step).</summary>
    public void Step(Span<float> parameter, ReadOnlySpan<float> gradient)
    {
        fixed (float* p = parameter)
        fixed (float* g = gradient)
        {
            nint parameterPointer = (nint)p;
            nint gradientPointer = gradient.IsEmpty ? 0 : (nint)g;
            Step(&parameterPointer, &gradientPointer, 1);
        }
    }

    /// <summary>One step over native memory the caller keeps valid.</summary>
    public void Step(ReadOnlySpan<nint> parameters, ReadOnlySpan<nint> gradients)
    {
        fixed (nint* p = parameters)
        fixed (nint* g = gradients)
        {
            Step(p, g, parameters.Length);
        }
    }

    public void Save(string path)
    {
        PathArgument.Check(path, nameof(path));
        Ensure.Ok(KernelMethods.mada_engine_save(this, path));
    }

    public void Load(string path)
    {
        PathArgument.Check(path, nameof(path));
        Ensure.Ok(KernelMethods.mada_engine_load(this, path));
    }

    public byte[] SaveToBytes() => ReadBytes(&KernelMethods.mada_engine_save_buffer);

    public void LoadFromBytes(ReadOnlySpan<byte> checkpoint) =>
        WriteBytes(&KernelMethods.mada_engine_load_buffer, checkpoint);

    protected override void Destroy(nint pointer) => KernelMethods.mada_engine_destroy(pointer);

    private void Step(nint* parameters, nint* gradients, int count)
    {
        // A valid array even for zero parameters, so the library judges the count, not a NULL.
        nint none = 0;
        Ensure.Ok(KernelMethods.mada_engine_step(
            this, count == 0 ? (void**)&none : (void**)parameters, count == 0 ? (void**)&none : (void**)gradients, (nuint)count));
    }
}
