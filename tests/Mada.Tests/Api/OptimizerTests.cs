using Mada.Tests.Infrastructure;

namespace Mada.Tests.Api;

public sealed class OptimizerTests : LeakCheckedTest
{
    [Fact]
    public void GroupsKeepTheirOwnLearningRates()
    {
        using var a = new Tensor([1f, 2f]);
        using var b = new Tensor([3f]);
        using var c = new Tensor([4f, 5f, 6f]);
        using var optimizer = new MadaOptimizer(MadaOptions.Mada with { Lr = 0.25 });

        optimizer.AddGroup([a, b], lr: 0.5, weightDecay: 0.1);
        optimizer.AddGroup([c]);
        optimizer.ParamGroups[0].LearningRate = 0.125;

        Assert.Equal(2, optimizer.GroupCount);
        Assert.Equal(3, optimizer.ParameterCount);
        Assert.Equal(0.125, optimizer.ParamGroups[0].LearningRate);
        Assert.Equal(0.25, optimizer.ParamGroups[1].LearningRate);
    }

    [Fact]
    public void BeforeTheFirstStepCoefficientsAreTheInitialOnes()
    {
        var options = MadaOptions.Mada with { InitialCoefficients = new Coefficients(0.8, 0.6, 0.5, 0.2, 0.3, 0.9) };
        using var optimizer = new MadaOptimizer(options);

        Assert.Equal(new Coefficients(0.8, 0.6, 0.5, 0.2, 0.3, 0.9), optimizer.Coefficients);
        Assert.Equal(default, optimizer.Hypergradient);
        Assert.Equal(0, optimizer.StepCount);
    }

    /// <summary>The spec refuses a start outside the bounds: asking for beta2 = 0.999 must not quietly run 0.99.</summary>
    [Fact]
    public void AStartOutsideItsBoundsIsRefusedNamingTheCoefficientAndItsBounds()
    {
        var options = MadaOptions.Adam with { InitialCoefficients = new Coefficients(0.9, 0.999, 0, 1, 1, 1) };

        var error = Assert.Throws<ArgumentException>(() => new MadaOptimizer(options));

        Assert.Contains("q0.beta2 = 0.999", error.Message);
        Assert.Contains("[0.501, 0.99]", error.Message);
    }

    /// <summary>Adam's first update moves every element by lr against the sign of its gradient (bias correction cancels).</summary>
    [Fact]
    public void FirstAdamStepMovesByLrAgainstTheGradientSign()
    {
        using var parameter = new Tensor([1f, -2f, 0.5f]);
        using var gradient = new Tensor([0.3f, -4f, 2f]);
        using var optimizer = new MadaOptimizer(MadaOptions.Adam with { Eps = 1e-12 });  // eps must be > 0
        optimizer.AddGroup([parameter], lr: 0.01, weightDecay: 0);

        optimizer.Step([gradient]);

        float[] x = parameter.ToArray();
        Assert.Equal(0.99, x[0], 1e-6);
        Assert.Equal(-1.99, x[1], 1e-6);
        Assert.Equal(0.49, x[2], 1e-6);
        Assert.Equal(1, optimizer.StepCount);
        Assert.Equal(Math.Sqrt(0.09 + 16 + 4), optimizer.GradNorm, 1e-5);
    }

    [Fact]
    public void ParameterWithoutGradientIsNotMoved()
    {
        using var moved = new Tensor([1f, 1f]);
        using var still = new Tensor([7f, 8f]);
        using var gradient = new Tensor([1f, -1f]);
        using var optimizer = new MadaOptimizer(MadaOptions.Adam);
        optimizer.AddGroup([moved, still], lr: 0.1, weightDecay: 0);

        optimizer.Step([gradient, null]);

        Assert.NotEqual([1f, 1f], moved.ToArray());
        Assert.Equal([7f, 8f], still.ToArray());
    }

    [Fact]
    public void CoefficientsIndexerAndArrayFollowTheSpecOrder()
    {
        var q = new Coefficients(1, 2, 3, 4, 5, 6);

        Assert.Equal([1.0, 2, 3, 4, 5, 6], q.ToArray());
        Assert.Equal(4, q[Coefficient.Rho]);
        Assert.Equal(q, Coefficients.FromSpan(q.ToArray()));
        Assert.Throws<ArgumentOutOfRangeException>(() => q[(Coefficient)6]);
    }
}
