using Mada.Native;

namespace Mada;

/// <summary>
/// A MADA optimizer: an Adam-family update whose six coefficients learn by hypergradient
/// descent. Add parameter tensors in groups, then call <see cref="Step"/> with one gradient per
/// parameter. A failed call changes nothing. Not thread-safe: use one optimizer from one thread
/// at a time.
/// </summary>
public sealed unsafe class MadaOptimizer : IDisposable
{
    private readonly OptimizerHandle handle;

    /// <summary>An optimizer with no parameters yet.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public MadaOptimizer(MadaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var native = options.ToNative();
        nint pointer;
        Ensure.Ok(NativeMethods.mada_optimizer_create(&native, &pointer));
        handle = new OptimizerHandle(pointer);
        Options = options;
    }

    /// <summary>The options the optimizer was created with.</summary>
    public MadaOptions Options { get; }

    /// <summary>Number of parameter groups.</summary>
    public int GroupCount
    {
        get
        {
            using var lease = Lease();
            return checked((int)lease.Read<nuint>(&NativeMethods.mada_optimizer_group_count));
        }
    }

    /// <summary>Number of parameter tensors over all groups; <see cref="Step"/> takes this many gradients.</summary>
    public int ParameterCount
    {
        get
        {
            using var lease = Lease();
            return checked((int)lease.Read<nuint>(&NativeMethods.mada_optimizer_parameter_count));
        }
    }

    /// <summary>The coefficients the last update used (before the first: the initial ones).</summary>
    public Coefficients Coefficients
    {
        get
        {
            using var lease = Lease();
            return Coefficients.FromNative(lease.Read<mada_coefficients>(&NativeMethods.mada_optimizer_coefficients));
        }
    }

    /// <summary>The last hypergradient, before clipping (zeros before the second update).</summary>
    public Coefficients Hypergradient
    {
        get
        {
            using var lease = Lease();
            return Coefficients.FromNative(lease.Read<mada_coefficients>(&NativeMethods.mada_optimizer_hypergradient));
        }
    }

    /// <summary>Updates done so far.</summary>
    public long StepCount
    {
        get
        {
            using var lease = Lease();
            return lease.Read<long>(&NativeMethods.mada_optimizer_step_count);
        }
    }

    /// <summary>Steps skipped for non-finite gradients under <see cref="NonFinitePolicy.Skip"/>.</summary>
    public long SkippedSteps
    {
        get
        {
            using var lease = Lease();
            return lease.Read<long>(&NativeMethods.mada_optimizer_skipped_steps);
        }
    }

    /// <summary>Global L2 norm of the last update's gradient, before clipping.</summary>
    public double GradNorm
    {
        get
        {
            using var lease = Lease();
            return lease.Read<double>(&NativeMethods.mada_optimizer_grad_norm);
        }
    }

    /// <summary>Adds a parameter group with the options' default lr and weight decay.</summary>
    public void AddGroup(IReadOnlyList<Tensor> parameters) => AddGroup(parameters, Options.Lr, Options.WeightDecay);

    /// <summary>
    /// Adds a parameter group with its own lr and decoupled weight decay. The optimizer keeps its
    /// own reference to each tensor, so disposing them afterwards is allowed.
    /// </summary>
    public void AddGroup(IReadOnlyList<Tensor> parameters, double lr, double weightDecay)
    {
        using var lease = Lease();
        using var tensors = new TensorListLease(parameters, allowNull: false, nameof(parameters));
        fixed (nint* pointers = tensors.Pointers)
        {
            Ensure.Ok(NativeMethods.mada_optimizer_add_group(
                lease.Pointer, pointers, (nuint)tensors.Pointers.Length, lr, weightDecay));
        }
    }

    /// <summary>The learning rate of a group.</summary>
    public double GetLr(int group)
    {
        using var lease = Lease();
        double lr;
        Ensure.OkInRange(NativeMethods.mada_optimizer_lr(lease.Pointer, GroupIndex(group), &lr), nameof(group));
        return lr;
    }

    /// <summary>Sets the learning rate of a group for the next steps (a schedule).</summary>
    public void SetLr(int group, double lr)
    {
        using var lease = Lease();
        // The status cannot say which argument was bad: ask about the group first, so an unknown
        // group is out of range and a bad lr a plain argument error, each with the library's message.
        double current;
        Ensure.OkInRange(NativeMethods.mada_optimizer_lr(lease.Pointer, GroupIndex(group), &current), nameof(group));
        Ensure.Ok(NativeMethods.mada_optimizer_set_lr(lease.Pointer, GroupIndex(group), lr));
    }

    /// <summary>
    /// One update. <paramref name="gradients"/>[i] is the gradient of parameter i in the order
    /// they were added, of the same shape; null means that parameter has no gradient this step.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong count or shape.</exception>
    /// <exception cref="NonFiniteGradientException">A gradient holds NaN or infinity and the policy is <see cref="NonFinitePolicy.Error"/>.</exception>
    public void Step(IReadOnlyList<Tensor?> gradients)
    {
        using var lease = Lease();
        using var tensors = new TensorListLease(gradients, allowNull: true, nameof(gradients));
        fixed (nint* pointers = tensors.Pointers)
        {
            Ensure.Ok(NativeMethods.mada_optimizer_step(lease.Pointer, pointers, (nuint)tensors.Pointers.Length));
        }
    }

    /// <summary>Writes a checkpoint (coefficients, step count, all state) to a file, atomically.</summary>
    /// <exception cref="IOException">The file could not be written.</exception>
    public void Save(string path)
    {
        using var lease = Lease();
        lease.CallWithPath(&NativeMethods.mada_optimizer_save, path, nameof(path));
    }

    /// <summary>Restores a checkpoint written by <see cref="Save"/>; checked whole before anything changes.</summary>
    /// <exception cref="IOException">The file could not be read.</exception>
    /// <exception cref="CheckpointException">The file is corrupt or belongs to another model or mode.</exception>
    public void Load(string path)
    {
        using var lease = Lease();
        lease.CallWithPath(&NativeMethods.mada_optimizer_load, path, nameof(path));
    }

    /// <summary>The checkpoint <see cref="Save"/> would write, in memory.</summary>
    public byte[] SaveToBytes()
    {
        using var lease = Lease();
        return lease.ReadBytes(&NativeMethods.mada_optimizer_save_buffer);
    }

    /// <summary>Restores a checkpoint made by <see cref="SaveToBytes"/>; checked whole before anything changes.</summary>
    /// <exception cref="CheckpointException">The data is corrupt or belongs to another model or mode.</exception>
    public void LoadFromBytes(ReadOnlySpan<byte> checkpoint)
    {
        using var lease = Lease();
        lease.CallWithBytes(&NativeMethods.mada_optimizer_load_buffer, checkpoint);
    }

    /// <summary>Destroys the native optimizer; the parameter tensors stay valid.</summary>
    public void Dispose() => handle.Dispose();

    private HandleLease Lease()
    {
        ObjectDisposedException.ThrowIf(handle.IsDisposed, this);
        return handle.Lease();
    }

    // A negative index wraps to a huge one, which the library rejects with its own message.
    private static nuint GroupIndex(int group) => unchecked((nuint)group);
}
