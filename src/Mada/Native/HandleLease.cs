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

    public void Dispose()
    {
        if (added)
        {
            owner.DangerousRelease();
            added = false;
        }
    }
}
