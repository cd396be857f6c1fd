namespace Mada.Tests.Vectors;

/// <summary>
/// <see cref="VectorRun"/>'s problem on a <see cref="MadaEngine"/>: the same options and groups
/// (one per tensor, with its weight decay), the parameters in plain float[] arrays that the engine
/// updates in place, the gradients computed by <see cref="VectorRun.Gradient"/> into arrays reused
/// every step.
/// </summary>
public sealed class EngineVectorRun : IDisposable
{
    private readonly Memory<float>[] parameterMemory;
    private readonly ReadOnlyMemory<float>[] gradientMemory;
    private readonly float[][] gradients;

    private EngineVectorRun(VectorFile file, MadaEngine engine, float[][] parameters)
    {
        File = file;
        Engine = engine;
        Parameters = parameters;
        gradients = parameters.Select(p => new float[p.Length]).ToArray();
        parameterMemory = parameters.Select(p => new Memory<float>(p)).ToArray();
        gradientMemory = gradients.Select(g => new ReadOnlyMemory<float>(g)).ToArray();
    }

    public VectorFile File { get; }

    public MadaEngine Engine { get; }

    /// <summary>The parameters, in file order; the engine updates these arrays in place.</summary>
    public IReadOnlyList<float[]> Parameters { get; }

    /// <summary>A fresh run from the file's x0, or from <paramref name="startValues"/>; <paramref name="adjust"/> changes the options.</summary>
    public static EngineVectorRun Start(
        VectorFile file, Func<MadaOptions, MadaOptions>? adjust = null, IReadOnlyList<float[]>? startValues = null)
    {
        var options = VectorRun.OptionsFor(file);
        if (adjust is not null)
        {
            options = adjust(options);
        }
        float[][] parameters = file.Problem.Tensors
            .Select((tensor, i) => (startValues?[i] ?? tensor.X0).ToArray())
            .ToArray();
        var engine = new MadaEngine(options);
        try
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                engine.AddGroup([parameters[i].LongLength], file.Steps[0].Lr, file.Problem.Tensors[i].WeightDecay);
            }
            return new EngineVectorRun(file, engine, parameters);
        }
        catch
        {
            engine.Dispose();
            throw;
        }
    }

    /// <summary>Update <paramref name="t"/> (1-based): its lr on every group, then one step on g_t at the current parameters.</summary>
    public void Step(int t)
    {
        for (int group = 0; group < Parameters.Count; group++)
        {
            Engine.ParamGroups[group].LearningRate = File.Steps[t - 1].Lr;
        }
        ComputeGradients(t);
        Engine.Step(parameterMemory, gradientMemory);
    }

    /// <summary>Steps <paramref name="first"/> to <paramref name="last"/>, inclusive.</summary>
    public void Steps(int first, int last)
    {
        for (int t = first; t <= last; t++)
        {
            Step(t);
        }
    }

    /// <summary>g_t at the current parameters, into the arrays the next step reads; returns them.</summary>
    public IReadOnlyList<float[]> ComputeGradients(int t)
    {
        for (int i = 0; i < Parameters.Count; i++)
        {
            VectorRun.Gradient(File, t, i, Parameters[i], gradients[i]);
        }
        return gradients;
    }

    public RunState Capture() => RunState.Of(this);

    public void Dispose() => Engine.Dispose();
}
