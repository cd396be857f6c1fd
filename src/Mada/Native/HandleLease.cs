using System.Runtime.InteropServices;

namespace Mada.Native;

/// <summary>
/// The raw pointer of a handle, valid until Dispose: the reference count taken here stops a
/// concurrent Dispose or the finalizer from destroying the object during the native call.
/// </summary>
internal ref struct HandleLease
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

    public void Dispose()
    {
        if (added)
        {
            owner.DangerousRelease();
            added = false;
        }
    }
}
