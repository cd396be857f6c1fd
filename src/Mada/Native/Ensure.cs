namespace Mada.Native;

/// <summary>
/// The one place where a native status becomes an exception. Every checked call goes through
/// <see cref="Ok"/>; the message is always the library's own (mada_last_error), and a status
/// this version does not know still becomes a <see cref="MadaException"/>.
/// </summary>
internal static class Ensure
{
    /// <summary>Key of <see cref="Exception.Data"/> holding the raw status, on every exception thrown here.</summary>
    public const string StatusKey = "MadaStatus";

    public static void Ok(mada_status status)
    {
        if (status != mada_status.MADA_OK)
        {
            throw ToException(status, LastError.Read(), outOfRangeParameter: null);
        }
    }

    /// <summary>
    /// Checks a create call, <c>Ensure.Created(mada_x_create(..., out var created), created)</c>:
    /// on success the handle it filled is counted as alive (<see cref="HandleCensus"/>) and
    /// returned; on failure the call left it empty, and it is disposed before the exception.
    /// </summary>
    public static THandle Created<THandle>(mada_status status, THandle handle)
        where THandle : MadaHandle
    {
        if (status != mada_status.MADA_OK)
        {
            var exception = ToException(status, LastError.Read(), outOfRangeParameter: null);
            handle.Dispose();
            throw exception;
        }
        handle.Count();
        return handle;
    }

    /// <summary>As <see cref="Ok"/>, but an invalid argument is reported as an out-of-range <paramref name="parameter"/>.</summary>
    public static void OkInRange(mada_status status, string parameter)
    {
        if (status != mada_status.MADA_OK)
        {
            throw ToException(status, LastError.Read(), parameter);
        }
    }

    internal static Exception ToException(mada_status status, string nativeMessage, string? outOfRangeParameter)
    {
        string message = nativeMessage.Length > 0
            ? nativeMessage
            : $"The native call failed with status {(uint)status} and left no message.";
        var code = (MadaErrorCode)status;
        Exception exception = status switch
        {
            mada_status.MADA_ERROR_INVALID_ARGUMENT when outOfRangeParameter is not null =>
                new ArgumentOutOfRangeException(outOfRangeParameter, message),
            mada_status.MADA_ERROR_INVALID_ARGUMENT => new ArgumentException(message),
            mada_status.MADA_ERROR_NON_FINITE => new NonFiniteGradientException(message),
            mada_status.MADA_ERROR_CHECKPOINT => new CheckpointException(message),
            mada_status.MADA_ERROR_IO => new IOException(message),
            mada_status.MADA_ERROR_UNSUPPORTED => new NotSupportedException(message),
            mada_status.MADA_ERROR_DISTRIBUTED => new DistributedTrainingException(message),
            mada_status.MADA_ERROR_OUT_OF_MEMORY => new InsufficientMemoryException(message),
            mada_status.MADA_ERROR_BUFFER_TOO_SMALL or mada_status.MADA_ERROR_INTERNAL => new MadaException(code, message),
            _ => new MadaException(code, $"{message} (status {(uint)status}, unknown to this version of Mada.dll)"),
        };
        exception.Data[StatusKey] = (uint)status;
        return exception;
    }
}
