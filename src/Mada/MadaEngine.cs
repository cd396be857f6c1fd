using System.Buffers;
using Mada.Native;

namespace Mada;

/// <summary>
/// The MADA optimizer over memory you own. Parameters and gradients stay where you keep them
/// (arrays, <see cref="Memory{T}"/>, native buffers); <see cref="Step(ReadOnlySpan{Memory{float}}, ReadOnlySpan{ReadOnlyMemory{float}})"/>
/// updates them in place and copies nothing: managed memory is pinned for the call only.
/// The engine owns only the optimizer state, allocated once by <see cref="AddGroup(ReadOnlySpan{long})"/>.
/// It runs in libmada_kernels alone (no libtorch), so it fits processes that hold another
/// libtorch. Same update as <see cref="MadaOptimizer"/>, bit for bit. A failed call changes
/// nothing. Not thread-safe: use one engine from one thread at a time.
/// </summary>
/// <remarks>Parameters are float32. The element counts are checked on each managed step; native pointers must point to as many elements.</remarks>
public sealed unsafe class MadaEngine : IDisposable
{
    // Up to this many parameters the step's pointer arrays live on the stack (2 KiB).
    private const int StackPointerCount = 256;

    private readonly EngineHandle handle;
    private long[] elementCounts = [];
    private int threads;

    /// <summary>An engine with no parameters yet.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public MadaEngine(MadaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var native = options.ToNative();
        nint pointer;
        Ensure.Ok(KernelMethods.mada_engine_create(&native, &pointer));
        handle = new EngineHandle(pointer);
        Options = options;
    }

    /// <summary>The options the engine was created with.</summary>
    public MadaOptions Options { get; }

    /// <summary>Number of parameter groups.</summary>
    public int GroupCount
    {
        get
        {
            using var lease = Lease();
            return checked((int)lease.Read<nuint>(&KernelMethods.mada_engine_group_count));
        }
    }

    /// <summary>Number of parameters over all groups; a step takes this many parameters and gradients.</summary>
    public int ParameterCount
    {
        get
        {
            using var lease = Lease();
            return elementCounts.Length;
        }
    }

    /// <summary>The coefficients the last update used (before the first: the initial ones).</summary>
    public Coefficients Coefficients
    {
        get
        {
            using var lease = Lease();
            return Coefficients.FromNative(lease.Read<mada_coefficients>(&KernelMethods.mada_engine_coefficients));
        }
    }

    /// <summary>The last hypergradient, before clipping (zeros before the second update).</summary>
    public Coefficients Hypergradient
    {
        get
        {
            using var lease = Lease();
            return Coefficients.FromNative(lease.Read<mada_coefficients>(&KernelMethods.mada_engine_hypergradient));
        }
    }

    /// <summary>Global L2 norm of the last update's gradient, before clipping.</summary>
    public double GradNorm
    {
        get
        {
            using var lease = Lease();
            return lease.Read<double>(&KernelMethods.mada_engine_grad_norm);
        }
    }

    /// <summary>Updates done so far.</summary>
    public long StepCount
    {
        get
        {
            using var lease = Lease();
            return lease.Read<long>(&KernelMethods.mada_engine_step_count);
        }
    }

    /// <summary>Steps skipped for non-finite gradients under <see cref="NonFinitePolicy.Skip"/>.</summary>
    public long SkippedSteps
    {
        get
        {
            using var lease = Lease();
            return lease.Read<long>(&KernelMethods.mada_engine_skipped_steps);
        }
    }

    /// <summary>
    /// Threads a step may use; 0 (the default) means MADA_NUM_THREADS, else the hardware's.
    /// Results do not depend on it. The getter returns what was last set.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The library refuses the value (negative).</exception>
    public int Threads
    {
        get
        {
            using var lease = Lease();
            return threads;
        }
        set
        {
            using var lease = Lease();
            Ensure.OkInRange(KernelMethods.mada_engine_set_threads(lease.Pointer, value), nameof(value));
            threads = value;
        }
    }

    /// <summary>The number of float elements of a parameter, as it was added.</summary>
    public long GetElementCount(int parameter)
    {
        using var lease = Lease();
        ArgumentOutOfRangeException.ThrowIfNegative(parameter);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(parameter, elementCounts.Length);
        return elementCounts[parameter];
    }

    /// <summary>Adds a parameter group with the options' default lr and weight decay.</summary>
    public void AddGroup(ReadOnlySpan<long> elementCounts) => AddGroup(elementCounts, Options.Lr, Options.WeightDecay);

    /// <summary>
    /// Adds a group of float32 parameters, parameter i holding <paramref name="elementCounts"/>[i]
    /// elements, with its own lr and decoupled weight decay, and allocates their state. Parameters
    /// are numbered over all groups in the order they were added.
    /// </summary>
    /// <exception cref="ArgumentException">An empty group, a count below 1, or a bad lr or weight decay; the message says which.</exception>
    public void AddGroup(ReadOnlySpan<long> elementCounts, double lr, double weightDecay)
    {
        using var lease = Lease();
        long empty = 0;
        fixed (long* counts = elementCounts)
        {
            Ensure.Ok(KernelMethods.mada_engine_add_group(
                lease.Pointer, elementCounts.IsEmpty ? &empty : counts, (nuint)elementCounts.Length,
                mada_dtype.MADA_DTYPE_FLOAT32, lr, weightDecay));
        }
        this.elementCounts = [.. this.elementCounts, .. elementCounts];
    }

    /// <summary>The learning rate of a group.</summary>
    public double GetLr(int group)
    {
        using var lease = Lease();
        double lr;
        Ensure.OkInRange(KernelMethods.mada_engine_lr(lease.Pointer, GroupIndex(group), &lr), nameof(group));
        return lr;
    }

    /// <summary>Sets the learning rate of a group for the next steps (a schedule).</summary>
    public void SetLr(int group, double lr)
    {
        using var lease = Lease();
        // The status cannot say which argument was bad: ask about the group first, so an unknown
        // group is out of range and a bad lr a plain argument error, each with the library's message.
        double current;
        Ensure.OkInRange(KernelMethods.mada_engine_lr(lease.Pointer, GroupIndex(group), &current), nameof(group));
        Ensure.Ok(KernelMethods.mada_engine_set_lr(lease.Pointer, GroupIndex(group), lr));
    }

    /// <summary>The decoupled weight decay of a group.</summary>
    public double GetWeightDecay(int group)
    {
        using var lease = Lease();
        double weightDecay;
        Ensure.OkInRange(KernelMethods.mada_engine_weight_decay(lease.Pointer, GroupIndex(group), &weightDecay), nameof(group));
        return weightDecay;
    }

    /// <summary>Sets the decoupled weight decay of a group for the next steps.</summary>
    public void SetWeightDecay(int group, double weightDecay)
    {
        using var lease = Lease();
        double current;
        Ensure.OkInRange(KernelMethods.mada_engine_weight_decay(lease.Pointer, GroupIndex(group), &current), nameof(group));
        Ensure.Ok(KernelMethods.mada_engine_set_weight_decay(lease.Pointer, GroupIndex(group), weightDecay));
    }

    /// <summary>Replaces the coefficients (projected into the bounds), e.g. to restart learning from a point.</summary>
    public void SetCoefficients(Coefficients coefficients)
    {
        using var lease = Lease();
        var native = coefficients.ToNative();
        Ensure.Ok(KernelMethods.mada_engine_set_coefficients(lease.Pointer, &native));
    }

    /// <summary>
    /// One update of parameters in managed (or any <see cref="Memory{T}"/>) memory, in place.
    /// <paramref name="parameters"/>[i] and <paramref name="gradients"/>[i] belong to parameter i in
    /// the order added and hold its element count; an empty gradient means that parameter has
    /// none this step. Each is pinned for this call only. Allocates nothing on the managed heap.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong number of parameters or gradients, or a wrong length; checked before anything runs.</exception>
    /// <exception cref="NonFiniteGradientException">A gradient holds NaN or infinity and the policy is <see cref="NonFinitePolicy.Error"/>.</exception>
    public void Step(ReadOnlySpan<Memory<float>> parameters, ReadOnlySpan<ReadOnlyMemory<float>> gradients)
    {
        using var lease = Lease();
        CheckCounts(parameters.Length, gradients.Length);
        for (int i = 0; i < parameters.Length; i++)
        {
            CheckLength(i, parameters[i].Length, nameof(parameters));
            if (!gradients[i].IsEmpty)
            {
                CheckLength(i, gradients[i].Length, nameof(gradients));
            }
        }

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
                StepPinned(lease.Pointer, all, all + count, count);
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

    /// <summary>
    /// One update of an engine with a single parameter (e.g. one flat buffer of all weights), in
    /// place. An empty <paramref name="gradient"/> means none this step.
    /// </summary>
    /// <exception cref="InvalidOperationException">The engine does not have exactly one parameter.</exception>
    /// <exception cref="ArgumentException">A length differs from the parameter's element count.</exception>
    public void Step(Span<float> parameter, ReadOnlySpan<float> gradient)
    {
        using var lease = Lease();
        if (elementCounts.Length != 1)
        {
            throw new InvalidOperationException(
                $"Step(Span<float>, ReadOnlySpan<float>) is for an engine with one parameter; this one has {elementCounts.Length}.");
        }
        CheckLength(0, parameter.Length, nameof(parameter));
        if (!gradient.IsEmpty)
        {
            CheckLength(0, gradient.Length, nameof(gradient));
        }
        fixed (float* p = parameter)
        fixed (float* g = gradient)
        {
            nint parameterPointer = (nint)p;
            nint gradientPointer = gradient.IsEmpty ? 0 : (nint)g;
            StepPinned(lease.Pointer, &parameterPointer, &gradientPointer, 1);
        }
    }

    /// <summary>
    /// One update of parameters in native memory, in place. <paramref name="parameters"/>[i] and
    /// <paramref name="gradients"/>[i] point to parameter i's float32 elements and its gradient
    /// (0: none this step); they must hold its element count, stay valid for the call and not
    /// overlap. Allocates nothing on the managed heap.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong number of pointers, or a null parameter.</exception>
    /// <exception cref="NonFiniteGradientException">A gradient holds NaN or infinity and the policy is <see cref="NonFinitePolicy.Error"/>.</exception>
    public void Step(ReadOnlySpan<nint> parameters, ReadOnlySpan<nint> gradients)
    {
        using var lease = Lease();
        CheckCounts(parameters.Length, gradients.Length);
        fixed (nint* p = parameters)
        fixed (nint* g = gradients)
        {
            StepPinned(lease.Pointer, p, g, parameters.Length);
        }
    }

    /// <summary>Writes a checkpoint (coefficients, counts, group settings, all state) to a file, atomically.</summary>
    /// <exception cref="IOException">The file could not be written.</exception>
    public void Save(string path)
    {
        using var lease = Lease();
        lease.CallWithPath(&KernelMethods.mada_engine_save, path, nameof(path));
    }

    /// <summary>Restores a checkpoint written by <see cref="Save"/>; checked whole against this engine before anything changes.</summary>
    /// <exception cref="IOException">The file could not be read.</exception>
    /// <exception cref="CheckpointException">The file is corrupt, or of other groups, sizes or mode.</exception>
    public void Load(string path)
    {
        using var lease = Lease();
        lease.CallWithPath(&KernelMethods.mada_engine_load, path, nameof(path));
    }

    /// <summary>The checkpoint <see cref="Save"/> would write, in memory.</summary>
    public byte[] SaveToBytes()
    {
        using var lease = Lease();
        return lease.ReadBytes(&KernelMethods.mada_engine_save_buffer);
    }

    /// <summary>Restores a checkpoint made by <see cref="SaveToBytes"/>; checked whole against this engine before anything changes.</summary>
    /// <exception cref="CheckpointException">The data is corrupt, or of other groups, sizes or mode.</exception>
    public void LoadFromBytes(ReadOnlySpan<byte> checkpoint)
    {
        using var lease = Lease();
        lease.CallWithBytes(&KernelMethods.mada_engine_load_buffer, checkpoint);
    }

    /// <summary>Frees the optimizer state; the parameters are yours and stay as they are.</summary>
    public void Dispose() => handle.Dispose();

    private static void StepPinned(nint engine, nint* parameters, nint* gradients, int count)
    {
        // A valid array even for zero parameters, so the library judges the count, not a NULL.
        nint none = 0;
        Ensure.Ok(KernelMethods.mada_engine_step(
            engine, count == 0 ? (void**)&none : (void**)parameters, count == 0 ? (void**)&none : (void**)gradients, (nuint)count));
    }

    private void CheckCounts(int parameterCount, int gradientCount)
    {
        if (parameterCount != elementCounts.Length)
        {
            throw new ArgumentException(
                $"Got {parameterCount} parameters; the engine has {elementCounts.Length} (one per parameter added, in order).", "parameters");
        }
        if (gradientCount != parameterCount)
        {
            throw new ArgumentException(
                $"Got {gradientCount} gradients for {parameterCount} parameters; pass one per parameter (empty or 0: none).", "gradients");
        }
    }

    private void CheckLength(int parameter, int length, string paramName)
    {
        if (length != elementCounts[parameter])
        {
            throw new ArgumentException(
                $"{paramName}[{parameter}] holds {length} elements; parameter {parameter} was added with {elementCounts[parameter]}.", paramName);
        }
    }

    private HandleLease Lease()
    {
        ObjectDisposedException.ThrowIf(handle.IsDisposed, this);
        return handle.Lease();
    }

    // A negative index wraps to a huge one, which the library rejects with its own message.
    private static nuint GroupIndex(int group) => unchecked((nuint)group);
}
