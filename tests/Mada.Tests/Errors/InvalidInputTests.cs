using Mada.Tests.Infrastructure;

namespace Mada.Tests.Errors;

/// <summary>Invalid options and tensor arguments are refused with a message that says what is wrong.</summary>
public sealed class InvalidInputTests : LeakCheckedTest
{
    [Fact]
    public void NegativeLearningRateIsRefusedWithANativeMessageNamingIt()
    {
        var options = MadaOptions.Mada with { Lr = -1e-3 };

        var fromValidate = NativeFailure.Expect<ArgumentException>(options.Validate);
        var fromCreate = NativeFailure.Expect<ArgumentException>(() => new MadaOptimizer(options).Dispose());

        Assert.Contains("lr", fromValidate.Message, StringComparison.Ordinal);
        Assert.Equal(fromValidate.Message, fromCreate.Message);
    }

    [Fact]
    public void LowerBoundAboveUpperBoundIsRefusedWithANativeMessageNamingTheCoefficient()
    {
        var preset = MadaOptions.Mada;
        var options = preset with { LowerBounds = preset.LowerBounds with { Beta2 = preset.UpperBounds.Beta2 + 0.001 } };

        var error = NativeFailure.Expect<ArgumentException>(options.Validate);
        NativeFailure.Expect<ArgumentException>(() => new MadaOptimizer(options).Dispose());

        Assert.Contains("beta2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryPresetIsValid()
    {
        foreach (var preset in new[]
                 {
                     MadaOptions.Mada, MadaOptions.HyperAdam, MadaOptions.Adam, MadaOptions.AdamW,
                     MadaOptions.AVGrad, MadaOptions.Yogi, MadaOptions.Adan, MadaOptions.Lion,
                 })
        {
            preset.Validate();
        }
    }

    /// <summary>mada.h, mada_tensor_create: count must equal prod(shape); the library checks it.</summary>
    [Fact]
    public void TensorDataMustFillTheShape()
    {
        NativeFailure.Expect<ArgumentException>(() => new Tensor([1f, 2f, 3f], [2, 2]).Dispose());
        NativeFailure.Expect<ArgumentException>(() => new Tensor([1f, 2f, 3f, 4f, 5f], [2, 2]).Dispose());
    }

    [Fact]
    public void NegativeDimensionIsRefusedByTheLibrary()
    {
        NativeFailure.Expect<ArgumentException>(() => new Tensor([], [-1]).Dispose());
    }

    [Fact]
    public void ReadAndWriteNeedExactlyNumelValues()
    {
        using var tensor = new Tensor([1f, 2f, 3f, 4f], [2, 2]);

        NativeFailure.Expect<ArgumentException>(() => tensor.Read(new float[3]));
        NativeFailure.Expect<ArgumentException>(() => tensor.Write([9f, 9f, 9f, 9f, 9f]));

        Assert.Equal([1f, 2f, 3f, 4f], tensor.ToArray());
    }

    [Fact]
    public void NullParameterInAGroupIsRefused()
    {
        using var optimizer = new MadaOptimizer(MadaOptions.Adam);
        using var parameter = new Tensor([1f]);

        Assert.Throws<ArgumentException>(() => optimizer.AddGroup([parameter, null!]));

        Assert.Equal(0, optimizer.ParameterCount);
    }
}
