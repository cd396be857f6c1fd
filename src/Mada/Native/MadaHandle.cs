using System.Runtime.InteropServices;

namespace Mada.Native;

/// <summary>
/// Owns one native object and destroys it exactly once: on Dispose, or from the finalizer when
/// its owner was never disposed. Each kind of object has its own subclass, which the generated
/// imports take (so a wrong handle does not compile) and which holds the checked calls on it.
/// LibraryImport references the handle for the duration of each call, so a concurrent Dispose or
/// the finalizer cannot destroy the object under it, and creates the handle of a create
/// function's <c>out</c> parameter empty (hence the public parameterless constructors) and fills
/// it; <see cref="Ensure.Created"/> then counts it in <see cref="HandleCensus"/>, which tells
/// tests what leaked. A <see cref="MadaHandle{TSelf}.Share"/>d handle is a second handle on an
/// object another one owns: it keeps that one referenced and never destroys the object itself.
/// </summary>
internal abstract class MadaHandle : SafeHandle
{
    private volatile bool disposed;
    private bool counted;

    /// <summary>The handle that owns the object, when this one is a shared handle on it; null for the owner itself.</summary>
    private MadaHandle? owner;

    protected MadaHandle()
        : base(invalidHandleValue: 0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>
    /// True once Dispose was called. <see cref="SafeHandle.IsClosed"/> turns true only when the
    /// last reference goes, which a call in flight or a child handle (a trainer's model) can delay.
    /// </summary>
    public bool IsDisposed => disposed || IsClosed;

    /// <summary>Counts the object a create call just made; <see cref="Ensure.Created"/> calls it once.</summary>
    internal void Count()
    {
        counted = true;
        HandleCensus.Created(GetType());
    }

    protected override void Dispose(bool disposing)
    {
        // disposing is false on the finalizer's call: then nobody disposed this handle.
        if (disposing)
        {
            disposed = true;
        }
        base.Dispose(disposing);
    }

    protected sealed override bool ReleaseHandle()
    {
        if (owner is not null)
        {
            // A shared handle: the object is the owner's, destroyed when its last reference goes.
            owner.DangerousRelease();
            return true;
        }
        Destroy(handle);
        if (counted)
        {
            HandleCensus.Destroyed(GetType(), byFinalizer: !disposed);
        }
        return true;
    }

    /// <summary>The native destroy function of this kind of object.</summary>
    protected abstract void Destroy(nint pointer);

    /// <summary>
    /// Makes this new, empty handle a second handle on <paramref name="objectOwner"/>'s object,
    /// holding a reference on it until this handle is released.
    /// </summary>
    /// <exception cref="ObjectDisposedException"><paramref name="objectOwner"/> is already closed.</exception>
    private protected void ShareObjectOf(MadaHandle objectOwner)
    {
        bool added = false;
        objectOwner.DangerousAddRef(ref added);
        owner = objectOwner;
        SetHandle(objectOwner.DangerousGetHandle());
    }
}

/// <summary>
/// A handle of one kind, <typeparamref name="TSelf"/>, with the call shapes its checked calls
/// share; the generated imports take <typeparamref name="TSelf"/> itself, so these helpers take
/// the import's address (<c>Read&lt;long&gt;(&amp;NativeMethods.mada_optimizer_step_count)</c>).
/// </summary>
internal abstract unsafe class MadaHandle<TSelf> : MadaHandle
    where TSelf : MadaHandle<TSelf>, new()
{
    private TSelf Self => (TSelf)this;

    /// <summary>
    /// A second handle on this object, usable for as long as it lives whatever becomes of this
    /// one: it keeps this handle referenced (so a Dispose of this one only marks it closed), and
    /// the object is destroyed once both are released. What a trainer hands out as its model.
    /// </summary>
    /// <exception cref="ObjectDisposedException">This handle is already disposed.</exception>
    public TSelf Share()
    {
        var shared = new TSelf();
        try
        {
            shared.ShareObjectOf(this);
            return shared;
        }
        catch
        {
            shared.Dispose();
            throw;
        }
    }

    /// <summary>Reads one value through a native getter of the form <c>status f(handle, T* out)</c>.</summary>
    protected T Read<T>(delegate*<TSelf, T*, mada_status> getter)
        where T : unmanaged
    {
        T value;
        Ensure.Ok(getter(Self, &value));
        return value;
    }

    /// <summary>Reads a group's setting through <c>status f(handle, size_t group, double* out)</c>; the index is already checked.</summary>
    protected double ReadOfGroup(int group, delegate*<TSelf, nuint, double*, mada_status> getter)
    {
        double value;
        Ensure.Ok(getter(Self, checked((nuint)group), &value));
        return value;
    }

    /// <summary>
    /// Calls <c>status f(handle, uint8_t* buffer, size_t capacity, size_t* size)</c>, which fills a
    /// caller buffer of a size it reports, and returns the bytes (sized first, then filled; again
    /// if the size grew in between).
    /// </summary>
    protected byte[] ReadBytes(delegate*<TSelf, byte*, nuint, nuint*, mada_status> fill)
    {
        nuint size;
        var status = fill(Self, null, 0, &size);
        while (true)
        {
            if (status != mada_status.MADA_ERROR_BUFFER_TOO_SMALL)
            {
                Ensure.Ok(status);
            }
            byte[] buffer = new byte[checked((int)size)];
            fixed (byte* bytes = buffer)
            {
                status = fill(Self, bytes, (nuint)buffer.Length, &size);
            }
            if (status == mada_status.MADA_OK)
            {
                return size == (nuint)buffer.Length ? buffer : buffer[..checked((int)size)];
            }
        }
    }

    /// <summary>Calls <c>status f(handle, const uint8_t* data, size_t size)</c>; an empty span is passed as a valid pointer and size 0.</summary>
    protected void WriteBytes(delegate*<TSelf, byte*, nuint, mada_status> call, ReadOnlySpan<byte> data)
    {
        byte empty = 0;
        fixed (byte* bytes = data)
        {
            Ensure.Ok(call(Self, data.IsEmpty ? &empty : bytes, (nuint)data.Length));
        }
    }
}
