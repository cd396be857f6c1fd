using Mada.Native;
using Mada.Tests.Infrastructure;

namespace Mada.Tests.Lifetime;

public sealed class DisposeTests : LeakCheckedTest
{
    [Fact]
    public void DisposedTensorRefusesEveryCall()
    {
        var tensor = new Tensor([1f, 2f, 3f]);
        tensor.Dispose();

        Assert.Throws<ObjectDisposedException>(() => tensor.Numel);
        Assert.Throws<ObjectDisposedException>(() => tensor.Shape);
        Assert.Throws<ObjectDisposedException>(() => tensor.ToArray());
        Assert.Throws<ObjectDisposedException>(() => tensor.Read(new float[3]));
        Assert.Throws<ObjectDisposedException>(() => tensor.Write([4f, 5f, 6f]));
    }

    [Fact]
    public void DisposedOptimizerRefusesEveryCall()
    {
        using var parameter = new Tensor([1f, 2f]);
        using var gradient = new Tensor([0.5f, 0.5f]);
        var optimizer = new MadaOptimizer(MadaOptions.Mada);
        optimizer.AddGroup([parameter]);
        var group = optimizer.ParamGroups[0];
        optimizer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => optimizer.Step([gradient]));
        Assert.Throws<ObjectDisposedException>(() => optimizer.AddGroup([parameter]));
        Assert.Throws<ObjectDisposedException>(() => optimizer.GroupCount);
        Assert.Throws<ObjectDisposedException>(() => optimizer.ParameterCount);
        Assert.Throws<ObjectDisposedException>(() => optimizer.ParamGroups.Count);
        Assert.Throws<ObjectDisposedException>(() => optimizer.ParamGroups[0]);
        Assert.Throws<ObjectDisposedException>(() => group.LearningRate);
        Assert.Throws<ObjectDisposedException>(() => group.WeightDecay = 0.1);
        Assert.Throws<ObjectDisposedException>(() => optimizer.Coefficients);
        Assert.Throws<ObjectDisposedException>(() => optimizer.Hypergradient);
        Assert.Throws<ObjectDisposedException>(() => optimizer.StepCount);
        Assert.Throws<ObjectDisposedException>(() => optimizer.SkippedSteps);
        Assert.Throws<ObjectDisposedException>(() => optimizer.GradNorm);
        Assert.Throws<ObjectDisposedException>(() => optimizer.SaveToBytes());
        Assert.Throws<ObjectDisposedException>(() => optimizer.LoadFromBytes([1, 2, 3]));
        Assert.Throws<ObjectDisposedException>(() => optimizer.Save(Path.Combine(Path.GetTempPath(), "never-written.ckpt")));
        Assert.Throws<ObjectDisposedException>(() => optimizer.Load(Path.Combine(Path.GetTempPath(), "never-read.ckpt")));
    }

    [Fact]
    public void PassingADisposedTensorIsRefusedBeforeTheNativeCall()
    {
        using var parameter = new Tensor([1f, 2f]);
        using var optimizer = new MadaOptimizer(MadaOptions.Mada);
        optimizer.AddGroup([parameter]);
        var gradient = new Tensor([0.5f, 0.5f]);
        gradient.Dispose();
        var other = new Tensor([3f]);
        other.Dispose();

        Assert.Throws<ObjectDisposedException>(() => optimizer.Step([gradient]));
        Assert.Throws<ObjectDisposedException>(() => optimizer.AddGroup([other]));
        Assert.Equal(0, optimizer.StepCount);
        Assert.Equal(1, optimizer.ParameterCount);
    }

    [Fact]
    public void DisposingTwiceDestroysOnce()
    {
        long live = HandleCensus.LiveCount;
        var tensor = new Tensor([1f]);
        var optimizer = new MadaOptimizer(MadaOptions.Adam);
        Assert.Equal(live + 2, HandleCensus.LiveCount);

        tensor.Dispose();
        optimizer.Dispose();
        Assert.Equal(live, HandleCensus.LiveCount);

        tensor.Dispose();
        optimizer.Dispose();
        Assert.Equal(live, HandleCensus.LiveCount);
    }

    /// <summary>mada.h: the optimizer keeps its own reference to each parameter, so the caller may dispose its handles.</summary>
    [Fact]
    public void OptimizerOutlivesTheParameterHandlesItWasGiven()
    {
        float[] start = [1f, -2f, 3f];
        using var optimizer = new MadaOptimizer(MadaOptions.Adam);
        using (var parameter = new Tensor(start))
        {
            optimizer.AddGroup([parameter], lr: 0.1, weightDecay: 0);
        }

        using var gradient = new Tensor([1f, 1f, 1f]);
        optimizer.Step([gradient]);
        optimizer.Step([gradient]);

        Assert.Equal(2, optimizer.StepCount);
    }
}
