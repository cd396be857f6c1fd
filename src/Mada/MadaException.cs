namespace Mada;

/// <summary>
/// A failure reported by the MADA native library that has no closer .NET exception type. The
/// message is the library's own.
/// </summary>
public class MadaException : Exception
{
    /// <summary>A failure that did not come from a native status (loading, version checks).</summary>
    public MadaException(string message)
        : base(message)
    {
    }

    /// <summary>A failure with the native status and message.</summary>
    public MadaException(MadaErrorCode errorCode, string message)
        : base(message)
    {
        ErrorCode = errorCode;
    }

    /// <summary>The native status, or null when the failure did not come from a native call.</summary>
    public MadaErrorCode? ErrorCode { get; }
}
