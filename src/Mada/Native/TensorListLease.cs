using System.Buffers;

namespace Mada.Native;

/// <summary>
/// A C array of tensor pointers (<c>mada_tensor* const*</c>) for one native call, with every
/// tensor's handle referenced until Dispose, so no concurrent Dispose or finalizer destroys a
/// tensor during the call (what LibraryImport does for a single SafeHandle parameter, which it
/// cannot do for an array). A null entry becomes NULL where the C function accepts that.
/// </summary>
internal ref struct TensorListLease
{
    private readonly int count;
    private readonly TensorPointer[] pointers;
    private readonly TensorHandle?[] handles;
    private int leased;

    public TensorListLease(IReadOnlyList<Tensor?> tensors, bool allowNull, string paramName)
    {
        ArgumentNullException.ThrowIfNull(tensors, paramName);
        count = tensors.Count;
        pointers = ArrayPool<TensorPointer>.Shared.Rent(Math.Max(count, 1));
        handles = ArrayPool<TensorHandle?>.Shared.Rent(Math.Max(count, 1));
        try
        {
            for (; leased < count; leased++)
            {
                handles[leased] = null;
                pointers[leased] = default;
                var tensor = tensors[leased];
                if (tensor is null)
                {
                    if (!allowNull)
                    {
                        throw new ArgumentException($"{paramName}[{leased}] is null.", paramName);
                    }
                    continue;
                }
                var handle = tensor.Handle;
                bool added = false;
                handle.DangerousAddRef(ref added);
                handles[leased] = handle;
                pointers[leased] = new TensorPointer(handle.DangerousGetHandle());
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public readonly Span<TensorPointer> Pointers => pointers.AsSpan(0, count);

    public void Dispose()
    {
        for (int i = 0; i < leased; i++)
        {
            handles[i]?.DangerousRelease();
            handles[i] = null;
        }
        if (leased >= 0)
        {
            ArrayPool<TensorPointer>.Shared.Return(pointers);
            ArrayPool<TensorHandle?>.Shared.Return(handles);
            leased = -1;
        }
    }
}
