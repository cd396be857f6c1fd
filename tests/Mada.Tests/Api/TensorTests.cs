using Mada.Tests.Infrastructure;

namespace Mada.Tests.Api;

public sealed class TensorTests : LeakCheckedTest
{
    [Fact]
    public void HoldsACopyOfTheDataInItsShape()
    {
        float[] data = [1f, 2f, 3f, 4f, 5f, 6f];
        using var tensor = new Tensor(data, [2, 3]);
        data[0] = 99f;

        Assert.Equal([2L, 3L], tensor.Shape);
        Assert.Equal(6, tensor.Numel);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], tensor.ToArray());
    }

    [Fact]
    public void WriteThenReadRoundTripsEveryBit()
    {
        float[] values = [float.Epsilon, -0f, 1e-38f, 3.4e38f, 0.1f, -7.25f, 123456.79f];
        using var tensor = new Tensor(new float[values.Length]);

        tensor.Write(values);
        float[] back = new float[values.Length];
        tensor.Read(back);

        Assert.Equal(values.Select(BitConverter.SingleToInt32Bits), back.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void ScalarHasNoDimensionsAndOneElement()
    {
        using var scalar = new Tensor([2.5f], []);

        Assert.Empty(scalar.Shape);
        Assert.Equal(1, scalar.Numel);
        Assert.Equal([2.5f], scalar.ToArray());
    }

    [Fact]
    public void OneDimensionalConstructorUsesTheDataLength()
    {
        using var tensor = new Tensor([1f, 2f, 3f, 4f, 5f]);

        Assert.Equal([5L], tensor.Shape);
    }
}
