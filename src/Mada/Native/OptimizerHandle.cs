namespace Mada.Native;

/// <summary>A mada_optimizer of libmada, and the checked calls on it (<see cref="MadaOptimizer"/>'s glue).</summary>
internal sealed unsafe class OptimizerHandle : MadaHandle<OptimizerHandle>, IParamGroupCalls
{
    public static OptimizerHandle Create(MadaOptions options)
    {
        var native = options.ToNative();
        return Ensure.Created(NativeMethods.mada_optimizer_create(&native, out var created), created);
    }

    public int GroupCount => checked((int)Read<nuint>(&NativeMethods.mada_optimizer_group_count));

    public int ParameterCount => checked((int)Read<nuint>(&NativeMethods.mada_optimizer_parameter_count));

    public Coefficients Coefficients => Coefficients.FromNative(Read<mada_coefficients>(&NativeMethods.mada_optimizer_coefficients));

    public Coefficients Hypergradient => Coefficients.FromNative(Read<mada_coefficients>(&NativeMethods.mada_optimizer_hypergradient));

    public long StepCount => Read<long>(&NativeMethods.mada_optimizer_step_count);

    public long SkippedSteps => Read<long>(&NativeMethods.mada_optimizer_skipped_steps);

    public double GradNorm => Read<double>(&NativeMethods.mada_optimizer_grad_norm);

    public double GetLr(int group) => ReadOfGroup(group, &NativeMethods.mada_optimizer_lr);

    public void SetLr(int group, double lr) =>
        Ensure.Ok(NativeMethods.mada_optimizer_set_lr(this, checked((nuint)group), lr));

    public double GetWeightDecay(int group) => ReadOfGroup(group, &NativeMethods.mada_optimizer_weight_decay);

    public void SetWeightDecay(int group, double weightDecay) =>
        Ensure.Ok(NativeMethods.mada_optimizer_set_weight_decay(this, checked((nuint)group), weightDecay));

    public void AddGroup(IReadOnlyList<Tensor> parameters, double lr, double weightDecay)
    {
        using var tensors = new TensorListLease(parameters, allowNull: false, nameof(parameters));
        fixed (TensorPointer* pointers = tensors.Pointers)
        {
            Ensure.Ok(NativeMethods.mada_optimizer_add_group(this, pointers, (nuint)tensors.Pointers.Length, lr, weightDecay));
        }
    }

    public void Step(IReadOnlyList<Tensor?> gradients)
    {
        using var tensors = new TensorListLease(gradients, allowNull: true, nameof(gradients));
        fixed (TensorPointer* pointers = tensors.Pointers)
        {
            Ensure.Ok(NativeMethods.mada_optimizer_step(this, pointers, (nuint)tensors.Pointers.Length));
        }
    }

    public void Save(string path)
    {
        PathArgument.Check(path, nameof(path));
        Ensure.Ok(NativeMethods.mada_optimizer_save(this, path));
    }

    public void Load(string path)
    {
        PathArgument.Check(path, nameof(path));
        Ensure.Ok(NativeMethods.mada_optimizer_load(this, path));
    }

    public byte[] SaveToBytes() => ReadBytes(&NativeMethods.mada_optimizer_save_buffer);

    public void LoadFromBytes(ReadOnlySpan<byte> checkpoint) =>
        WriteBytes(&NativeMethods.mada_optimizer_load_buffer, checkpoint);

    protected override void Destroy(nint pointer) => NativeMethods.mada_optimizer_destroy(pointer);
}
