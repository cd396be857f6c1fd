using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mada.TorchSharp.Tests;

using Tensor = global::TorchSharp.torch.Tensor;

/// <summary>What the adapter refuses, with a clear message and no change.</summary>
public sealed class BadInputTests
{
    [Fact]
    public void ParametersTheStepCannotTakeAreRefusedAtConstruction()
    {
        using var float64 = new Parameter(torch.ones(3, dtype: ScalarType.Float64), requires_grad: true);
        var e = Assert.Throws<ArgumentException>(() => MadaTorch.Mada([float64]));
        Assert.Contains("Float64", e.Message);

        using var matrix = torch.ones(3, 4);
        using var transposed = new Parameter(matrix.t(), requires_grad: true);
        e = Assert.Throws<ArgumentException>(() => MadaTorch.Mada([transposed]));
        Assert.Contains("not contiguous", e.Message);

        using var good = new Parameter(torch.ones(3), requires_grad: true);
        Assert.Throws<ArgumentException>(() => MadaTorch.Mada([good], lr: -1.0));
    }

    [Fact]
    public void ABadGradientIsRefusedAndNothingChanges()
    {
        using var a = new Parameter(torch.linspace(-1, 1, 6), requires_grad: true);
        using var b = new Parameter(torch.ones(2, 2), requires_grad: true);
        using var optimizer = MadaTorch.Mada([a, b], lr: 0.01);
        a.grad = torch.ones(6);
        b.grad = torch.ones(2, 2);
        optimizer.step();
        byte[] state = optimizer.SaveState();
        float[] before = a.data<float>().ToArray();

        b.grad = torch.ones(5);  // the parameter's size changed under the optimizer
        Assert.Contains("elements", Assert.Throws<ArgumentException>(() => optimizer.step()).Message);
        b.grad = torch.ones(2, 2, dtype: ScalarType.Float64);
        Assert.Contains("Float64", Assert.Throws<ArgumentException>(() => optimizer.step()).Message);
        b.grad = torch.ones(2, 2).t();
        Assert.Contains("not contiguous", Assert.Throws<ArgumentException>(() => optimizer.step()).Message);
        b.grad = torch.full(new long[] { 2, 2 }, float.NaN);
        Assert.Throws<NonFiniteGradientException>(() => optimizer.step());

        Assert.Equal(before, a.data<float>().ToArray());
        Assert.Equal(state, optimizer.SaveState());
        Assert.Equal(1, optimizer.StepCount);
    }

    [Fact]
    public void ADisposedParameterIsRefused()
    {
        var a = new Parameter(torch.ones(4), requires_grad: true);
        using var optimizer = MadaTorch.Mada([a]);
        a.grad = torch.ones(4);
        a.Dispose();
        Assert.Contains("disposed", Assert.Throws<ArgumentException>(() => optimizer.step()).Message);
        Assert.Equal(0, optimizer.StepCount);
    }

    [Fact]
    public void ACorruptStateIsRefusedAndNothingChanges()
    {
        using var a = new Parameter(torch.ones(8), requires_grad: true);
        using var optimizer = MadaTorch.Mada([a]);
        a.grad = torch.ones(8);
        optimizer.step();
        byte[] state = optimizer.SaveState();
        byte[] corrupt = (byte[])state.Clone();
        corrupt[^3] ^= 0x40;
        Assert.Throws<CheckpointException>(() => optimizer.LoadState(corrupt));
        Assert.Equal(state, optimizer.SaveState());
    }
}
