namespace Mada.Tests.Vectors;

/// <summary>
/// An optimizer set up as a vector file describes (options, one group per tensor with its weight
/// decay), stepping on the file's quadratic problem with gradients computed here in float32:
/// g_t = a * (x - b) + xi_t, elementwise.
/// </summary>
public sealed class VectorRun : IDisposable
{
    private VectorRun(VectorFile file, MadaOptimizer optimizer, IReadOnlyList<Tensor> parameters)
    {
        File = file;
        Optimizer = optimizer;
        Parameters = parameters;
    }

    public VectorFile File { get; }

    public MadaOptimizer Optimizer { get; }

    /// <summary>The parameter tensors, in file order; the optimizer updates them in place.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>
    /// A fresh run from the file's x0, or from <paramref name="startValues"/> (one array per tensor).
    /// <paramref name="adjust"/> changes the options built from the file.
    /// </summary>
    public static VectorRun Start(
        VectorFile file, Func<MadaOptions, MadaOptions>? adjust = null, IReadOnlyList<float[]>? startValues = null)
    {
        var options = OptionsFor(file);
        if (adjust is not null)
        {
            options = adjust(options);
        }

        var parameters = new List<Tensor>();
        MadaOptimizer? optimizer = null;
        try
        {
            for (int i = 0; i < file.Problem.Tensors.Count; i++)
            {
                var tensor = file.Problem.Tensors[i];
                parameters.Add(new Tensor(startValues?[i] ?? tensor.X0, tensor.Shape));
            }
            optimizer = new MadaOptimizer(options);
            for (int i = 0; i < parameters.Count; i++)
            {
                optimizer.AddGroup([parameters[i]], file.Steps[0].Lr, file.Problem.Tensors[i].WeightDecay);
            }
            return new VectorRun(file, optimizer, parameters);
        }
        catch
        {
            optimizer?.Dispose();
            parameters.ForEach(p => p.Dispose());
            throw;
        }
    }

    /// <summary>The file's options on top of the MADA preset; a coefficient learns where its hyper_lr is not 0.</summary>
    public static MadaOptions OptionsFor(VectorFile file)
    {
        var hyperLr = file.Options.HyperLr.ToCoefficients();
        var learned = LearnedCoefficients.None;
        foreach (var coefficient in Enum.GetValues<Coefficient>())
        {
            if (hyperLr[coefficient] != 0)
            {
                learned |= (LearnedCoefficients)(1 << (int)coefficient);
            }
        }

        return MadaOptions.Mada with
        {
            Lr = file.Steps[0].Lr,
            WeightDecay = 0,
            InitialCoefficients = file.Options.Q0.ToCoefficients(),
            HyperLr = hyperLr,
            Learned = learned,
            LowerBounds = file.Options.Bounds.Lower,
            UpperBounds = file.Options.Bounds.Upper,
            Eps = file.Options.Eps,
            LionBeta1 = file.Options.LionBeta1,
            LionBeta2 = file.Options.LionBeta2,
            HypergradClip = file.Options.HypergradClip,
            GradClip = file.Options.GradClip,
            Mode = file.OptimizerMode,
        };
    }

    /// <summary>Update <paramref name="t"/> (1-based): its lr on every group, then one step on g_t at the current parameters.</summary>
    public void Step(int t)
    {
        for (int group = 0; group < Parameters.Count; group++)
        {
            Optimizer.ParamGroups[group].LearningRate = File.Steps[t - 1].Lr;
        }
        var gradients = Gradients(t);
        try
        {
            Optimizer.Step(gradients);
        }
        finally
        {
            foreach (var gradient in gradients)
            {
                gradient.Dispose();
            }
        }
    }

    /// <summary>Steps <paramref name="first"/> to <paramref name="last"/>, inclusive.</summary>
    public void Steps(int first, int last)
    {
        for (int t = first; t <= last; t++)
        {
            Step(t);
        }
    }

    /// <summary>g_t at the current parameters, as tensors the caller disposes.</summary>
    public IReadOnlyList<Tensor> Gradients(int t)
    {
        var gradients = new List<Tensor>();
        for (int i = 0; i < Parameters.Count; i++)
        {
            var tensor = File.Problem.Tensors[i];
            float[] x = Parameters[i].ToArray();
            float[] g = new float[x.Length];
            Gradient(File, t, i, x, g);
            gradients.Add(new Tensor(g, tensor.Shape));
        }
        return gradients;
    }

    /// <summary>g_t of tensor <paramref name="tensor"/> at <paramref name="x"/>, into <paramref name="g"/>: a * (x - b) + xi_t, in float32.</summary>
    public static void Gradient(VectorFile file, int t, int tensor, ReadOnlySpan<float> x, Span<float> g)
    {
        var problem = file.Problem.Tensors[tensor];
        float[] noise = file.Problem.Noise[t - 1][tensor];
        for (int j = 0; j < g.Length; j++)
        {
            g[j] = problem.A[j] * (x[j] - problem.B[j]) + noise[j];
        }
    }

    public RunState Capture() => RunState.Of(this);

    public void Dispose()
    {
        Optimizer.Dispose();
        foreach (var parameter in Parameters)
        {
            parameter.Dispose();
        }
    }
}
