using System.Runtime.InteropServices;

namespace Mada.Native;

/// <summary>
/// The raw pointer of a handle, valid until Dispose: the reference count taken here stops a
/// concurrent Dispose or the finalizer from destroying the object during the native call.
/// </summary>
internal unsafe ref struct HandleLease
{
    private readonly SafeHandle owner;
    private bool added;

    public HandleLease(SafeHandle owner)
    {
        this.owner = owner;
        owner.DangerousAddRef(ref added);
        Pointer = owner.DangerousGetHandle();
    }

    public nint Pointer { get; }

    /// <summary>Reads one value through a native getter of the form <c>status f(handle, T* out)</c>.</summary>
    public readonly T Read<T>(delegate*<nint, T*, mada_status> getter)
        where T : unmanaged
    {
        T value;
        Ensure.Ok(getter(Pointer, &value));
        return value;
    }

    /// <summary>Calls <c>status f(handle, const char* path)</c> with the path as UTF-8.</summary>
    public readonly void CallWithPath(delegate*<nint, byte*, mada_status> call, string path, string paramName)
    {
        byte[] utf8 = Utf8Path.Encode(path, paramName);
        fixed (byte* bytes = utf8)
        {
            Ensure.Ok(call(Pointer, bytes));
        }
    }

    /// <summary>
    /// Calls <c>status f(handle, uint8_t* buffer, size_t capacity, size_t* size)</c>, which fills a
    /// caller buffer of a size it reports, and returns the bytes (sized first, then filled; again
    /// if the size grew in between).
    /// </summary>
    public readonly byte[] ReadBytes(delegate*<nint, byte*, nuint, nuint*, mada_status> fill)
    {
        nuint size;
        var status = fill(Pointer, null, 0, &size);
        while (true)
        {
            if (status != mada_status.MADA_ERROR_BUFFER_TOO_SMALL)
            {
                Ensure.Ok(status);
            }
            byte[] buffer = new byte[checked((int)size)];
            fixed (byte* bytes = buffer)
            {
                status = fill(Pointer, bytes, (nuint)buffer.Length, &size);
            }
            if (status == mada_status.MADA_OK)
            {
                return size == (nuint)buffer.Length ? buffer : buffer[..checked((int)size)];
            }
        }
    }

    /// <summary>Calls <c>status f(handle, const uint8_t* data, size_t size)</c>; an empty span is passed as a valid pointer and size 0.</summary>
    public readonly void CallWithBytes(delegate*<nint, byte*, nuint, mada_status> call, ReadOnlySpan<byte> data)
    {
        byte empty = 0;
        fixed (byte* bytes = data)
        {
            Ensure.Ok(call(Pointer, data.IsEmpty ? &empty : bytes, (nuint)data.Length));
        }
    }

    public void Dispose()
    {
        if (added)
        {
            owner.DangerousRelease();
            added = false;
        }
    }
}
