using Mada.Native;

namespace Mada;

/// <summary>
/// A float32 CPU tensor owned by the native library. Values move in and out in bulk through
/// spans. An optimizer that was given the tensor updates it in place, so <see cref="Read"/>
/// after a step sees the new values.
/// </summary>
public sealed class Tensor : IDisposable
{
    private readonly TensorHandle handle;

    /// <summary>A tensor of the given shape holding a copy of <paramref name="data"/> (row-major).</summary>
    /// <param name="data">prod(shape) values.</param>
    /// <param name="shape">Dimensions; empty for a scalar.</param>
    public Tensor(ReadOnlySpan<float> data, ReadOnlySpan<long> shape)
    {
        // The library checks data.Length against the shape (and the shape itself) and says what is wrong.
        handle = TensorHandle.Create(data, shape);
    }

    /// <summary>A one-dimensional tensor holding a copy of <paramref name="data"/>.</summary>
    public Tensor(ReadOnlySpan<float> data)
        : this(data, [data.Length])
    {
    }

    /// <summary>Number of elements.</summary>
    public long Numel => Handle.Numel;

    /// <summary>The dimensions, as the library reports them (empty for a scalar).</summary>
    public IReadOnlyList<long> Shape => Handle.Shape();

    internal TensorHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsDisposed, this);
            return handle;
        }
    }

    /// <summary>Copies the values into <paramref name="destination"/>, whose length must equal <see cref="Numel"/>.</summary>
    public void Read(Span<float> destination) => Handle.Read(destination);

    /// <summary>Overwrites the values from <paramref name="source"/>, whose length must equal <see cref="Numel"/>.</summary>
    public void Write(ReadOnlySpan<float> source) => Handle.Write(source);

    /// <summary>A copy of the values.</summary>
    public float[] ToArray()
    {
        float[] values = new float[Numel];
        Read(values);
        return values;
    }

    /// <summary>Releases this handle; an optimizer that holds the tensor keeps its own reference.</summary>
    public void Dispose() => handle.Dispose();
}
