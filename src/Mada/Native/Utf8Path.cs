using System.Text;

namespace Mada.Native;

/// <summary>Paths for the C API: UTF-8 and NUL-terminated.</summary>
internal static class Utf8Path
{
    public static byte[] Encode(string path, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(path, paramName);
        // C would silently stop at an embedded NUL and use a different path.
        if (path.Contains('\0'))
        {
            throw new ArgumentException("The path contains a NUL character.", paramName);
        }
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, bytes);
        return bytes;
    }
}
