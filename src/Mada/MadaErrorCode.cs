using Mada.Native;

namespace Mada;

/// <summary>The native library's failure statuses (mada_status). Other values may appear from newer libraries.</summary>
public enum MadaErrorCode
{
    /// <summary>A bad option, shape, index or pointer.</summary>
    InvalidArgument = (int)mada_status.MADA_ERROR_INVALID_ARGUMENT,

    /// <summary>A gradient held NaN or infinity.</summary>
    NonFinite = (int)mada_status.MADA_ERROR_NON_FINITE,

    /// <summary>A caller buffer was too small.</summary>
    BufferTooSmall = (int)mada_status.MADA_ERROR_BUFFER_TOO_SMALL,

    /// <summary>A corrupt checkpoint, or one of another model or mode.</summary>
    Checkpoint = (int)mada_status.MADA_ERROR_CHECKPOINT,

    /// <summary>A file could not be read or written.</summary>
    IO = (int)mada_status.MADA_ERROR_IO,

    /// <summary>A valid request this build cannot serve.</summary>
    Unsupported = (int)mada_status.MADA_ERROR_UNSUPPORTED,

    /// <summary>A bug in the native library.</summary>
    Internal = (int)mada_status.MADA_ERROR_INTERNAL,

    /// <summary>A data-parallel peer rank stopped, timed out, or disagrees with this one.</summary>
    Distributed = (int)mada_status.MADA_ERROR_DISTRIBUTED,

    /// <summary>An allocation failed (host or device memory); the request itself was valid.</summary>
    OutOfMemory = (int)mada_status.MADA_ERROR_OUT_OF_MEMORY,
}
