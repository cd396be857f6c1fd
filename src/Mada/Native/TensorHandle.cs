namespace Mada.Native;

/// <summary>A mada_tensor of libmada, and the checked calls on it (<see cref="Tensor"/>'s glue).</summary>
internal sealed unsafe class TensorHandle : MadaHandle<TensorHandle>
{
    /// <summary>A copy of <paramref name="data"/> with the given shape; the library checks the two agree.</summary>
    public static TensorHandle Create(ReadOnlySpan<float> data, ReadOnlySpan<long> shape)
    {
        long scalarShape = 0;
        float emptyData = 0;
        fixed (float* values = data)
        fixed (long* dimensions = shape)
        {
            // Never hand the library NULL for an empty span (a scalar's shape, a tensor with no elements).
            return Ensure.Created(
                NativeMethods.mada_tensor_create(
                    data.IsEmpty ? &emptyData : values,
                    (nuint)data.Length,
                    shape.IsEmpty ? &scalarShape : dimensions,
                    (nuint)shape.Length,
                    out var created),
                created);
        }
    }

    public long Numel => checked((long)Read<nuint>(&NativeMethods.mada_tensor_numel));

    public long[] Shape()
    {
        nuint rank;
        var status = NativeMethods.mada_tensor_shape(this, null, 0, &rank);
        if (status != mada_status.MADA_ERROR_BUFFER_TOO_SMALL)
        {
            Ensure.Ok(status);
        }
        long[] shape = new long[(int)rank];
        fixed (long* dimensions = shape)
        {
            Ensure.Ok(NativeMethods.mada_tensor_shape(this, dimensions, rank, &rank));
        }
        return shape;
    }

    public void Read(Span<float> destination)
    {
        fixed (float* values = destination)
        {
            Ensure.Ok(NativeMethods.mada_tensor_read(this, values, (nuint)destination.Length));
        }
    }

    public void Write(ReadOnlySpan<float> source)
    {
        fixed (float* values = source)
        {
            Ensure.Ok(NativeMethods.mada_tensor_write(this, values, (nuint)source.Length));
        }
    }

    protected override void Destroy(nint pointer) => NativeMethods.mada_tensor_destroy(pointer);
}
