using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mada.TorchSharp;

// Mada.Tensor (the façade's own tensor) would otherwise win over TorchSharp's in this namespace.
using Tensor = global::TorchSharp.torch.Tensor;

/// <summary>
/// MADA as a TorchSharp optimizer. Adopt it as you would <c>torch.optim.AdamW</c>:
/// <code>
/// using var optimizer = MadaTorch.Mada(model.parameters(), lr: 1e-3);
/// loss.backward(); optimizer.step(); optimizer.zero_grad();
/// </code>
/// Each <see cref="step"/> is one native call for all parameters: the fused step of
/// libmada_kernels reads and writes the tensors' own memory (no per-tensor ops, no temporaries).
/// Parameter groups carry their own learning rate and weight decay, and TorchSharp's
/// learning-rate schedulers drive them through <see cref="torch.optim.Optimizer.ParamGroups"/>.
/// The coefficients are shared by all groups, as in MADA. CPU float32 parameters; a bad
/// parameter or gradient is refused with an <see cref="ArgumentException"/> before anything
/// changes. Not thread-safe.
/// </summary>
public sealed class MadaTorchOptimizer : torch.optim.Optimizer
{
    private readonly MadaEngine engine;
    private readonly List<Group> groups = [];
    private nint[] parameterPointers = [];
    private nint[] gradientPointers = [];
    private Tensor?[] gradients = [];

    /// <summary>One parameter group with the options' learning rate and weight decay.</summary>
    /// <exception cref="ArgumentException">An option is invalid, or a parameter is not a CPU float32 contiguous tensor.</exception>
    public MadaTorchOptimizer(IEnumerable<Parameter> parameters, MadaOptions options)
        : this([new ParamGroup(parameters)], options)
    {
    }

    /// <summary>Groups with their own learning rate and weight decay (unset: the options').</summary>
    /// <exception cref="ArgumentException">An option is invalid, or a parameter is not a CPU float32 contiguous tensor.</exception>
    public MadaTorchOptimizer(IEnumerable<ParamGroup> parameterGroups, MadaOptions options)
        : base(IntPtr.Zero)
    {
        ArgumentNullException.ThrowIfNull(parameterGroups);
        ArgumentNullException.ThrowIfNull(options);
        _parameter_groups = new List<global::TorchSharp.Modules.ParamGroup>();
        engine = new MadaEngine(options);
        try
        {
            foreach (var group in parameterGroups)
            {
                add_param_group(group);
            }
        }
        catch
        {
            engine.Dispose();
            throw;
        }
    }

    /// <summary>The options the optimizer was created with (the groups' learning rates may have moved since).</summary>
    public MadaOptions Options => engine.Options;

    /// <summary>The coefficients the last update used (before the first: the initial ones).</summary>
    public Coefficients Coefficients => engine.Coefficients;

    /// <summary>The last hypergradient, before clipping (zeros before the second update).</summary>
    public Coefficients Hypergradient => engine.Hypergradient;

    /// <summary>Global L2 norm of the last update's gradient, before clipping.</summary>
    public double GradNorm => engine.GradNorm;

    /// <summary>Updates done so far.</summary>
    public long StepCount => engine.StepCount;

    /// <summary>Steps skipped for non-finite gradients under <see cref="NonFinitePolicy.Skip"/>.</summary>
    public long SkippedSteps => engine.SkippedSteps;

    /// <summary>Threads a step may use (0: MADA_NUM_THREADS, else the hardware's); results do not depend on it.</summary>
    public int Threads
    {
        get => engine.Threads;
        set => engine.Threads = value;
    }

    /// <summary>Adds a group; its parameters' optimizer state is allocated now.</summary>
    /// <exception cref="ArgumentException">Not a <see cref="ParamGroup"/> of this class, or a bad parameter.</exception>
    public override void add_param_group(global::TorchSharp.Modules.ParamGroup param_group)
    {
        if (param_group is not ParamGroup group)
        {
            throw new ArgumentException(
                $"{nameof(MadaTorchOptimizer)} takes its own {nameof(ParamGroup)} (learning rate and weight decay per group).",
                nameof(param_group));
        }
        var parameters = group.Parameters.ToArray();
        var counts = new long[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            TensorMemory.Of(parameters[i], parameters[i].numel(), new TensorMemory.Where(groups.Count, i, false));  // checks it
            counts[i] = parameters[i].numel();
        }
        group.Options.LearningRate ??= engine.Options.Lr;
        group.Options.WeightDecay ??= engine.Options.WeightDecay;
        group.Options.InitialLearningRate = group.Options.LearningRate.Value;
        engine.AddGroup(counts, group.Options.LearningRate.Value, group.Options.WeightDecay.Value);

        group.Parameters = parameters;
        groups.Add(new Group(group, counts, group.Options.LearningRate.Value, group.Options.WeightDecay.Value));
        _parameter_groups.Add(group);
        int total = groups.Sum(g => g.Counts.Length);
        parameterPointers = new nint[total];
        gradientPointers = new nint[total];
        gradients = new Tensor?[total];
    }

    /// <summary>
    /// One MADA update of every parameter that has a gradient, in place. Checks every parameter
    /// and gradient first; a bad one (disposed, another dtype, device or size, not contiguous)
    /// throws <see cref="ArgumentException"/> and nothing changes.
    /// </summary>
    /// <param name="closure">Re-evaluates the model and returns the loss; optional.</param>
    /// <returns>The closure's loss, or null.</returns>
    public override Tensor step(Func<Tensor>? closure = null)
    {
        Tensor? loss = null;
        if (closure is not null)
        {
            using var _ = torch.enable_grad();
            loss = closure();
        }
        try
        {
            GatherPointers();
            PushGroupOptions();
            engine.Step(parameterPointers, gradientPointers);
        }
        finally
        {
            // TorchSharp hands out a new wrapper (and native handle) per .grad read.
            for (int i = 0; i < gradients.Length; i++)
            {
                gradients[i]?.Dispose();
                gradients[i] = null;
            }
        }
        return loss!;
    }

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public override void zero_grad()
    {
        foreach (var group in groups)
        {
            foreach (var p in group.Source.Parameters)
            {
                using var grad = p.grad;
                grad?.zero_();
            }
        }
    }

    /// <summary>All parameters, group by group, in the order they were added.</summary>
    public override IEnumerable<Parameter> parameters() => groups.SelectMany(g => g.Source.Parameters);

    /// <summary>The state (coefficients, counts, group learning rates and weight decays, every buffer), atomically to a file.</summary>
    public void save_state_dict(string path) => engine.Save(path);

    /// <summary>Loads what <see cref="save_state_dict"/> wrote; checks it all against this optimizer before changing anything.</summary>
    /// <exception cref="CheckpointException">The file is corrupt or belongs to another optimizer; nothing changed.</exception>
    public void load_state_dict(string path)
    {
        engine.Load(path);
        PullGroupOptions();
    }

    /// <summary>The same state as bytes.</summary>
    public byte[] SaveState() => engine.SaveToBytes();

    /// <summary>Loads <see cref="SaveState"/>'s bytes; checks them before changing anything.</summary>
    public void LoadState(ReadOnlySpan<byte> state)
    {
        engine.LoadFromBytes(state);
        PullGroupOptions();
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            engine.Dispose();
        }
        base.Dispose(disposing);
    }

    private void GatherPointers()
    {
        int index = 0;
        for (int g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            var parameters = (Parameter[])group.Source.Parameters;
            for (int i = 0; i < parameters.Length; i++, index++)
            {
                var p = parameters[i];
                long numel = group.Counts[i];
                parameterPointers[index] = TensorMemory.Of(p, numel, new TensorMemory.Where(g, i, false));
                var grad = p.grad;
                gradients[index] = grad;
                gradientPointers[index] = grad is null ? 0 : TensorMemory.Of(grad, numel, new TensorMemory.Where(g, i, true));
            }
        }
    }

    // A scheduler changes the groups' learning rates between steps: hand the engine what moved.
    private void PushGroupOptions()
    {
        for (int g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            var options = group.Source.Options;
            double lr = options.LearningRate ?? throw new ArgumentException($"group {g} has no learning rate");
            double decay = options.WeightDecay ?? engine.Options.WeightDecay;
            if (lr != group.Lr)
            {
                engine.ParamGroups[g].LearningRate = lr;
                group.Lr = lr;
            }
            if (decay != group.WeightDecay)
            {
                engine.ParamGroups[g].WeightDecay = decay;
                group.WeightDecay = decay;
            }
        }
    }

    private void PullGroupOptions()
    {
        for (int g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            var native = engine.ParamGroups[g];
            group.Lr = native.LearningRate;
            group.WeightDecay = native.WeightDecay;
            group.Source.Options.LearningRate = group.Lr;
            group.Source.Options.WeightDecay = group.WeightDecay;
        }
    }

    /// <summary>Per-group options: the learning rate (driven by schedulers) and the weight decay.</summary>
    public sealed class GroupOptions : OptimizerOptions
    {
        /// <summary>Decoupled weight decay of the group; unset: the optimizer options'.</summary>
        public double? WeightDecay { get; set; }
    }

    /// <summary>A parameter group with its own learning rate and weight decay (unset: the optimizer options').</summary>
    public sealed class ParamGroup : ParamGroup<GroupOptions>
    {
        /// <summary>A group of <paramref name="parameters"/>.</summary>
        public ParamGroup(IEnumerable<Parameter> parameters, double? lr = null, double? weightDecay = null)
            : base(parameters, new GroupOptions { LearningRate = lr, WeightDecay = weightDecay })
        {
        }
    }

    // What the engine was last told about a group, so a step only calls it for what changed.
    private sealed class Group(ParamGroup source, long[] counts, double lr, double weightDecay)
    {
        public ParamGroup Source { get; } = source;
        public long[] Counts { get; } = counts;
        public double Lr { get; set; } = lr;
        public double WeightDecay { get; set; } = weightDecay;
    }
}
