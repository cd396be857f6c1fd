using Mada.Native;

namespace Mada;

/// <summary>
/// A MADA optimizer: an Adam-family update whose six coefficients learn by hypergradient
/// descent. Add parameter tensors in groups, then call <see cref="Step"/> with one gradient per
/// parameter. A failed call changes nothing. Not thread-safe: use one optimizer from one thread
/// at a time.
/// </summary>
public sealed class MadaOptimizer : IDisposable
{
    private readonly OptimizerHandle handle;

    /// <summary>An optimizer with no parameters yet.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public MadaOptimizer(MadaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        handle = OptimizerHandle.Create(options);
        Options = options;
        ParamGroups = new ParamGroupCollection(this, handle);
    }

    /// <summary>An optimizer of one group, <paramref name="parameters"/>, with the options' lr and weight decay.</summary>
    /// <exception cref="ArgumentException">An option or a parameter is invalid; the message says which.</exception>
    public MadaOptimizer(MadaOptions options, IReadOnlyList<Tensor> parameters)
        : this(options)
    {
        try
        {
            AddGroup(parameters);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The options the optimizer was created with.</summary>
    public MadaOptions Options { get; }

    /// <summary>The parameter groups, whose learning rate and weight decay a scheduler may set between steps.</summary>
    public ParamGroupCollection ParamGroups { get; }

    /// <summary>Number of parameter groups.</summary>
    public int GroupCount => Handle.GroupCount;

    /// <summary>Number of parameter tensors over all groups; <see cref="Step"/> takes this many gradients.</summary>
    public int ParameterCount => Handle.ParameterCount;

    /// <summary>The coefficients the last update used (before the first: the initial ones).</summary>
    public Coefficients Coefficients => Handle.Coefficients;

    /// <summary>The last hypergradient, before clipping (zeros before the second update).</summary>
    public Coefficients Hypergradient => Handle.Hypergradient;

    /// <summary>Updates done so far.</summary>
    public long StepCount => Handle.StepCount;

    /// <summary>Steps skipped for non-finite gradients under <see cref="NonFinitePolicy.Skip"/>.</summary>
    public long SkippedSteps => Handle.SkippedSteps;

    /// <summary>Global L2 norm of the last update's gradient, before clipping.</summary>
    public double GradNorm => Handle.GradNorm;

    /// <summary>Adds a parameter group with the options' default lr and weight decay.</summary>
    public void AddGroup(IReadOnlyList<Tensor> parameters) => AddGroup(parameters, Options.Lr, Options.WeightDecay);

    /// <summary>
    /// Adds a parameter group with its own lr and decoupled weight decay. The optimizer keeps its
    /// own reference to each tensor, so disposing them afterwards is allowed.
    /// </summary>
    public void AddGroup(IReadOnlyList<Tensor> parameters, double lr, double weightDecay) =>
        Handle.AddGroup(parameters, lr, weightDecay);

    /// <summary>
    /// One update. <paramref name="gradients"/>[i] is the gradient of parameter i in the order
    /// they were added, of the same shape; null means that parameter has no gradient this step.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong count or shape.</exception>
    /// <exception cref="NonFiniteGradientException">A gradient holds NaN or infinity and the policy is <see cref="NonFinitePolicy.Error"/>.</exception>
    public void Step(IReadOnlyList<Tensor?> gradients) => Handle.Step(gradients);

    /// <summary>Writes a checkpoint (coefficients, step count, all state) to a file, atomically.</summary>
    /// <exception cref="IOException">The file could not be written.</exception>
    public void Save(string path) => Handle.Save(path);

    /// <summary>Restores a checkpoint written by <see cref="Save"/>; checked whole before anything changes.</summary>
    /// <exception cref="IOException">The file could not be read.</exception>
    /// <exception cref="CheckpointException">The file is corrupt or belongs to another model or mode.</exception>
    public void Load(string path) => Handle.Load(path);

    /// <summary>The checkpoint <see cref="Save"/> would write, in memory.</summary>
    public byte[] SaveToBytes() => Handle.SaveToBytes();

    /// <summary>Restores a checkpoint made by <see cref="SaveToBytes"/>; checked whole before anything changes.</summary>
    /// <exception cref="CheckpointException">The data is corrupt or belongs to another model or mode.</exception>
    public void LoadFromBytes(ReadOnlySpan<byte> checkpoint) => Handle.LoadFromBytes(checkpoint);

    /// <summary>Destroys the native optimizer; the parameter tensors stay valid.</summary>
    public void Dispose() => handle.Dispose();

    private OptimizerHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsDisposed, this);
            return handle;
        }
    }
}
