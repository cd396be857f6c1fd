using Mada.Tests.Vectors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mada.TorchSharp.Tests;

using Tensor = global::TorchSharp.torch.Tensor;

/// <summary>The adapter against the vector files, against the engine bit for bit, across a save and a load.</summary>
public sealed class AdapterTests
{
    [Theory]
    [MemberData(nameof(VectorFiles.Cases), MemberType = typeof(VectorFiles))]
    public void EveryVectorFileMatchesThroughTheAdapter(string vectorFile)
    {
        var file = VectorFile.Load(VectorFiles.Resolve(vectorFile));
        var checker = new VectorChecker(file, vectorFile);
        using var run = new TorchVectorRun(file);
        for (int t = 1; t <= file.Steps.Count; t++)
        {
            run.Step(t);
            checker.CheckStep(run.Capture(), t);
        }
        checker.AssertAllMatched();
    }

    [Theory]
    [InlineData(Mode.Paper)]
    [InlineData(Mode.Reference)]
    public void TheAdapterStepEqualsTheEnginesBitForBit(Mode mode)
    {
        var file = VectorFile.Load(VectorFiles.Resolve(VectorFiles.All()[1]));
        using var torchRun = new TorchVectorRun(file, o => o with { Mode = mode });
        using var engineRun = EngineVectorRun.Start(file, o => o with { Mode = mode });
        for (int t = 1; t <= file.Steps.Count; t++)
        {
            // At update 5 the first parameter has no gradient: it must keep its value and its moments.
            int without = t == 5 ? 0 : -1;
            torchRun.Step(t, without);
            if (without < 0)
            {
                engineRun.Step(t);
            }
            else
            {
                StepEngineWithout(engineRun, t, without);
            }
            torchRun.Capture().AssertIdenticalTo(engineRun.Capture(), $"update {t}");
        }
    }

    [Fact]
    public void SaveAndLoadResumeBitExactly()
    {
        var file = VectorFile.Load(VectorFiles.Resolve(VectorFiles.All()[1]));
        int half = file.Steps.Count / 2;
        using var straight = new TorchVectorRun(file);
        using var first = new TorchVectorRun(file);
        for (int t = 1; t <= half; t++)
        {
            straight.Step(t);
            first.Step(t);
        }
        byte[] state = first.Optimizer.SaveState();
        string path = Path.Combine(Path.GetTempPath(), $"mada-torchsharp-{Environment.ProcessId}.bin");
        first.Optimizer.save_state_dict(path);

        using var fromBytes = new TorchVectorRun(file);
        using var fromFile = new TorchVectorRun(file);
        foreach (var resumed in new[] { fromBytes, fromFile })
        {
            for (int i = 0; i < resumed.Parameters.Length; i++)
            {
                using var _ = torch.no_grad();
                resumed.Parameters[i].copy_(first.Parameters[i]);
            }
        }
        fromBytes.Optimizer.LoadState(state);
        fromFile.Optimizer.load_state_dict(path);
        File.Delete(path);
        for (int t = half + 1; t <= file.Steps.Count; t++)
        {
            straight.Step(t);
            fromBytes.Step(t);
            fromFile.Step(t);
        }
        fromBytes.Capture().AssertIdenticalTo(straight.Capture(), "resumed from bytes");
        fromFile.Capture().AssertIdenticalTo(straight.Capture(), "resumed from a file");
    }

    [Fact]
    public void ALearningRateSchedulerDrivesTheGroups()
    {
        using var w = new Parameter(torch.ones(10), requires_grad: true);
        using var optimizer = MadaTorch.Adam([w], lr: 0.1);
        var scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 1, 0.5);
        double[] seen = new double[3];
        for (int i = 0; i < 3; i++)
        {
            w.grad = torch.ones(10);
            using var before = w.detach().clone();
            optimizer.step();
            scheduler.step();
            // Adam's first update moves every element by lr (mhat / sqrt(vhat) = 1, up to eps).
            seen[i] = (before - w).mean().item<float>();
        }
        Assert.Equal(0.1, seen[0], 1e-5);
        Assert.True(Math.Abs(seen[1] - 0.05) < 0.01, $"second update moved {seen[1]}, expected about lr 0.05");
        Assert.True(Math.Abs(seen[2] - 0.025) < 0.005, $"third update moved {seen[2]}, expected about lr 0.025");
        Assert.Equal(0.0125, optimizer.ParamGroups.Single().LearningRate, 12);
    }

    [Fact]
    public void AWarmStepAllocatesOnlyTorchSharpsGradientWrappers()
    {
        var parameters = Enumerable.Range(0, 20).Select(i => new Parameter(torch.randn(100 + i), requires_grad: true)).ToList();
        foreach (var p in parameters)
        {
            p.grad = torch.randn(p.shape);
        }
        using var optimizer = MadaTorch.Mada(parameters, lr: 1e-3);
        optimizer.step();
        optimizer.step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        const int Steps = 50;
        for (int i = 0; i < Steps; i++)
        {
            optimizer.step();
        }
        double perParameter = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)(Steps * parameters.Count);
        // Reading Parameter.grad makes one managed wrapper (48 bytes in TorchSharp 0.107.0); the
        // adapter adds nothing of its own.
        Assert.True(perParameter <= 56, $"{perParameter:F1} managed bytes per parameter per step");
        parameters.ForEach(p => p.Dispose());
    }

    private static void StepEngineWithout(EngineVectorRun run, int t, int without)
    {
        for (int group = 0; group < run.Parameters.Count; group++)
        {
            run.Engine.ParamGroups[group].LearningRate = run.File.Steps[t - 1].Lr;
        }
        var gradients = run.ComputeGradients(t);
        var parameters = run.Parameters.Select(p => new Memory<float>(p)).ToArray();
        var grads = gradients.Select((g, i) => i == without ? ReadOnlyMemory<float>.Empty : new ReadOnlyMemory<float>(g)).ToArray();
        run.Engine.Step(parameters, grads);
    }
}
