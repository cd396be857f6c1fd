using Mada.Native;

namespace Mada;

/// <summary>
/// A float32 CPU tensor owned by the native library. Values move in and out in bulk through
/// spans. An optimizer that was given the tensor updates it in place, so <see cref="Read"/>
/// after a step sees the new values.
/// </summary>
public sealed unsafe class Tensor : IDisposable
{
    private readonly TensorHandle handle;

    /// <summary>A tensor of the given shape holding a copy of <paramref name="data"/> (row-major).</summary>
    /// <param name="data">prod(shape) values.</param>
    /// <param name="shape">Dimensions; empty for a scalar.</param>
    public Tensor(ReadOnlySpan<float> data, ReadOnlySpan<long> shape)
    {
        // The library checks data.Length against the shape (and the shape itself) and says what is wrong.
        long scalarShape = 0;
        float emptyData = 0;
        nint pointer;
        fixed (float* values = data)
        fixed (long* dimensions = shape)
        {
            // Never hand the library NULL for an empty span (a scalar's shape, a tensor with no elements).
            Ensure.Ok(NativeMethods.mada_tensor_create(
                data.IsEmpty ? &emptyData : values,
                (nuint)data.Length,
                shape.IsEmpty ? &scalarShape : dimensions,
                (nuint)shape.Length,
                &pointer));
        }
        handle = new TensorHandle(pointer);
    }

    /// <summary>A one-dimensional tensor holding a copy of <paramref name="data"/>.</summary>
    public Tensor(ReadOnlySpan<float> data)
        : this(data, [data.Length])
    {
    }

    /// <summary>Number of elements.</summary>
    public long Numel
    {
        get
        {
            using var lease = Handle.Lease();
            nuint count;
            Ensure.Ok(NativeMethods.mada_tensor_numel(lease.Pointer, &count));
            return checked((long)count);
        }
    }

    /// <summary>The dimensions, as the library reports them (empty for a scalar).</summary>
    public IReadOnlyList<long> Shape
    {
        get
        {
            using var lease = Handle.Lease();
            nuint rank;
            var status = NativeMethods.mada_tensor_shape(lease.Pointer, null, 0, &rank);
            if (status != mada_status.MADA_ERROR_BUFFER_TOO_SMALL)
            {
                Ensure.Ok(status);
            }
            long[] shape = new long[(int)rank];
            fixed (long* dimensions = shape)
            {
                Ensure.Ok(NativeMethods.mada_tensor_shape(lease.Pointer, dimensions, rank, &rank));
            }
            return shape;
        }
    }

    internal TensorHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsDisposed, this);
            return handle;
        }
    }

    /// <summary>Copies the values into <paramref name="destination"/>, whose length must equal <see cref="Numel"/>.</summary>
    public void Read(Span<float> destination)
    {
        using var lease = Handle.Lease();
        fixed (float* values = destination)
        {
            Ensure.Ok(NativeMethods.mada_tensor_read(lease.Pointer, values, (nuint)destination.Length));
        }
    }

    /// <summary>Overwrites the values from <paramref name="source"/>, whose length must equal <see cref="Numel"/>.</summary>
    public void Write(ReadOnlySpan<float> source)
    {
        using var lease = Handle.Lease();
        fixed (float* values = source)
        {
            Ensure.Ok(NativeMethods.mada_tensor_write(lease.Pointer, values, (nuint)source.Length));
        }
    }

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
