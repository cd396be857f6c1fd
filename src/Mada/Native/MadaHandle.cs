using System.Runtime.InteropServices;

namespace Mada.Native;

/// <summary>
/// Owns one native object and destroys it exactly once: on Dispose, or from the finalizer when
/// its owner was never disposed. <see cref="LiveCount"/> counts the handles not yet destroyed,
/// so tests can find leaks.
/// </summary>
internal abstract class MadaHandle : SafeHandle
{
    private static long live;
    private volatile bool disposed;

    protected MadaHandle(nint pointer)
        : base(invalidHandleValue: 0, ownsHandle: true)
    {
        SetHandle(pointer);
        if (pointer != 0)
        {
            Interlocked.Increment(ref live);
        }
    }

    /// <summary>Native objects created and not yet destroyed, over all handle types.</summary>
    public static long LiveCount => Interlocked.Read(ref live);

    public override bool IsInvalid => handle == 0;

    /// <summary>
    /// True once Dispose was called. <see cref="SafeHandle.IsClosed"/> turns true only when the
    /// last reference goes, which a lease or a child handle (a trainer's model) can delay.
    /// </summary>
    public bool IsDisposed => disposed || IsClosed;

    /// <summary>Keeps the handle from being released until the lease is disposed; use around each native call.</summary>
    public HandleLease Lease() => new(this);

    protected override void Dispose(bool disposing)
    {
        disposed = true;
        base.Dispose(disposing);
    }

    protected sealed override bool ReleaseHandle()
    {
        Destroy(handle);
        Interlocked.Decrement(ref live);
        return true;
    }

    /// <summary>The native destroy function of this kind of object.</summary>
    protected abstract void Destroy(nint pointer);
}
