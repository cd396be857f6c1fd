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
public sealed class MadaEngine : IDisposable
{
    private readonly EngineHandle handle;
    private long[] elementCounts = [];
    private int threads;

    /// <summary>
    /// The CPU kernel variant every engine and optimizer of this process steps with:
    /// <c>"baseline"</c>, <c>"avx2"</c> or <c>"avx512"</c>, the widest the processor and its OS
    /// support, or the one the environment variable <c>MADA_CPU_KERNEL</c> names (for tests and
    /// benchmarks). All give the same bits.
    /// </summary>
    /// <exception cref="ArgumentException"><c>MADA_CPU_KERNEL</c> names no variant.</exception>
    /// <exception cref="NotSupportedException"><c>MADA_CPU_KERNEL</c> names a variant this processor lacks.</exception>
    public static string CpuKernel => EngineHandle.CpuKernel();

    /// <summary>An engine with no parameters yet.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public MadaEngine(MadaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        handle = EngineHandle.Create(options);
        Options = options;
        ParamGroups = new ParamGroupCollection(this, handle);
    }

    /// <summary>
    /// An engine of one group, parameter i holding <paramref name="elementCounts"/>[i] elements,
    /// with the options' lr and weight decay.
    /// </summary>
    /// <exception cref="ArgumentException">An option or a count is invalid; the message says which.</exception>
    public MadaEngine(MadaOptions options, ReadOnlySpan<long> elementCounts)
        : this(options)
    {
        try
        {
            AddGroup(elementCounts);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The options the engine was created with.</summary>
    public MadaOptions Options { get; }

    /// <summary>The parameter groups, whose learning rate and weight decay a scheduler may set between steps.</summary>
    public ParamGroupCollection ParamGroups { get; }

    /// <summary>Number of parameter groups.</summary>
    public int GroupCount => Handle.GroupCount;

    /// <summary>Number of parameters over all groups; a step takes this many parameters and gradients.</summary>
    public int ParameterCount => CheckedElementCounts.Length;

    /// <summary>The coefficients the last update used (before the first: the initial ones).</summary>
    public Coefficients Coefficients => Handle.Coefficients;

    /// <summary>The last hypergradient, before clipping (zeros before the second update).</summary>
    public Coefficients Hypergradient => Handle.Hypergradient;

    /// <summary>Global L2 norm of the last update's gradient, before clipping.</summary>
    public double GradNorm => Handle.GradNorm;

    /// <summary>Updates done so far.</summary>
    public long StepCount => Handle.StepCount;

    /// <summary>Steps skipped for non-finite gradients under <see cref="NonFinitePolicy.Skip"/>.</summary>
    public long SkippedSteps => Handle.SkippedSteps;

    /// <summary>
    /// Threads a step may use; 0 (the default) means MADA_NUM_THREADS, else the hardware's.
    /// Results do not depend on it. The getter returns what was last set.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The library refuses the value (negative).</exception>
    public int Threads
    {
        get
        {
            _ = Handle;
            return threads;
        }
        set
        {
            Handle.SetThreads(value, nameof(value));
            threads = value;
        }
    }

    /// <summary>The number of float elements of a parameter, as it was added.</summary>
    public long GetElementCount(int parameter)
    {
        var counts = CheckedElementCounts;
        ArgumentOutOfRangeException.ThrowIfNegative(parameter);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(parameter, counts.Length);
        return counts[parameter];
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
        Handle.AddGroup(elementCounts, lr, weightDecay);
        this.elementCounts = [.. this.elementCounts, .. elementCounts];
    }

    /// <summary>Replaces the coefficients (projected into the bounds), e.g. to restart learning from a point.</summary>
    public void SetCoefficients(Coefficients coefficients) => Handle.SetCoefficients(coefficients);

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
        var engine = Handle;
        CheckCounts(parameters.Length, gradients.Length);
        for (int i = 0; i < parameters.Length; i++)
        {
            CheckLength(i, parameters[i].Length, nameof(parameters));
            if (!gradients[i].IsEmpty)
            {
                CheckLength(i, gradients[i].Length, nameof(gradients));
            }
        }
        engine.Step(parameters, gradients);
    }

    /// <summary>
    /// One update of an engine with a single parameter (e.g. one flat buffer of all weights), in
    /// place. An empty <paramref name="gradient"/> means none this step.
    /// </summary>
    /// <exception cref="InvalidOperationException">The engine does not have exactly one parameter.</exception>
    /// <exception cref="ArgumentException">A length differs from the parameter's element count.</exception>
    public void Step(Span<float> parameter, ReadOnlySpan<float> gradient)
    {
        var engine = Handle;
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
        engine.Step(parameter, gradient);
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
        var engine = Handle;
        CheckCounts(parameters.Length, gradients.Length);
        engine.Step(parameters, gradients);
    }

    /// <summary>Writes a checkpoint (coefficients, counts, group settings, all state) to a file, atomically.</summary>
    /// <exception cref="IOException">The file could not be written.</exception>
    public void Save(string path) => Handle.Save(path);

    /// <summary>Restores a checkpoint written by <see cref="Save"/>; checked whole against this engine before anything changes.</summary>
    /// <exception cref="IOException">The file could not be read.</exception>
    /// <exception cref="CheckpointException">The file is corrupt, or of other groups, sizes or mode.</exception>
    public void Load(string path) => Handle.Load(path);

    /// <summary>The checkpoint <see cref="Save"/> would write, in memory.</summary>
    public byte[] SaveToBytes() => Handle.SaveToBytes();

    /// <summary>Restores a checkpoint made by <see cref="SaveToBytes"/>; checked whole against this engine before anything changes.</summary>
    /// <exception cref="CheckpointException">The data is corrupt, or of other groups, sizes or mode.</exception>
    public void LoadFromBytes(ReadOnlySpan<byte> checkpoint) => Handle.LoadFromBytes(checkpoint);

    /// <summary>Frees the optimizer state; the parameters are yours and stay as they are.</summary>
    public void Dispose() => handle.Dispose();

    private EngineHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsDisposed, this);
            return handle;
        }
    }

    private long[] CheckedElementCounts
    {
        get
        {
            _ = Handle;
            return elementCounts;
        }
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
}
