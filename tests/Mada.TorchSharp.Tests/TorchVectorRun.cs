using Mada.Tests.Vectors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mada.TorchSharp.Tests;

using Tensor = global::TorchSharp.torch.Tensor;

/// <summary>
/// A vector file's problem on TorchSharp parameters stepped by <see cref="MadaTorchOptimizer"/>:
/// one group per tensor with its weight decay, each update's lr set through the groups as a
/// scheduler sets it, gradients assigned to <c>.grad</c> as backward() leaves them.
/// </summary>
public sealed class TorchVectorRun : IDisposable
{
    private readonly float[][] gradients;

    public TorchVectorRun(VectorFile file, Func<MadaOptions, MadaOptions>? adjust = null)
    {
        File = file;
        var options = VectorRun.OptionsFor(file);
        options = adjust is null ? options : adjust(options);
        Parameters = file.Problem.Tensors
            .Select(t => new Parameter(torch.tensor(t.X0).reshape(t.Shape), requires_grad: true))
            .ToArray();
        gradients = file.Problem.Tensors.Select(t => new float[t.X0.Length]).ToArray();
        var groups = Parameters.Select((p, i) =>
            new MadaTorchOptimizer.ParamGroup([p], file.Steps[0].Lr, file.Problem.Tensors[i].WeightDecay));
        Optimizer = new MadaTorchOptimizer(groups, options);
    }

    public VectorFile File { get; }

    public Parameter[] Parameters { get; }

    public MadaTorchOptimizer Optimizer { get; }

    /// <summary>Update <paramref name="t"/> (1-based); <paramref name="withoutGradient"/> leaves that parameter's gradient unset.</summary>
    public void Step(int t, int withoutGradient = -1)
    {
        foreach (var group in Optimizer.ParamGroups)
        {
            group.LearningRate = File.Steps[t - 1].Lr;
        }
        for (int i = 0; i < Parameters.Length; i++)
        {
            if (i == withoutGradient)
            {
                Parameters[i].grad = null;
                continue;
            }
            VectorRun.Gradient(File, t, i, Values(Parameters[i]), gradients[i]);
            Parameters[i].grad = torch.tensor(gradients[i]).reshape(File.Problem.Tensors[i].Shape);
        }
        Optimizer.step();
    }

    public RunState Capture() => new(
        Parameters.Select(Values).ToList(), Optimizer.Coefficients, Optimizer.Hypergradient,
        Optimizer.StepCount, Optimizer.SkippedSteps, Optimizer.GradNorm);

    public static float[] Values(Tensor t) => t.data<float>().ToArray();

    public void Dispose()
    {
        Optimizer.Dispose();
        foreach (var p in Parameters)
        {
            p.Dispose();
        }
    }
}
