namespace Mada.Native;

/// <summary>
/// Paths handed to the C API, which the generated imports marshal as NUL-terminated UTF-8:
/// refused here when C would read a different path than the caller wrote.
/// </summary>
internal static class PathArgument
{
    public static void Check(string path, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(path, paramName);
        // C would silently stop at an embedded NUL and use a different path.
        if (path.Contains('\0'))
        {
            throw new ArgumentException("The path contains a NUL character.", paramName);
        }
    }
}
