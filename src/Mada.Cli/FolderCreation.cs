using System.Runtime.InteropServices;

namespace Mada.Cli;

/// <summary>
/// Why a folder (or any entry: a folder is refused where a file is) cannot be made, in the
/// operating system's words. .NET reports a failed mkdir or open by a message of its own that can
/// mislead ("Could not find file '/proc/nope'" for ENOENT); the C library's mkdir on the first
/// missing folder of the path answers with the errno the system gave.
/// </summary>
internal static partial class FolderCreation
{
    /// <summary>
    /// The system's reason <paramref name="directory"/> cannot be made ("No such file or
    /// directory"), prefixed with the folder it concerns when that is a parent; null where there
    /// is no C library to ask (Windows) or where the mkdir now succeeds (the folder is then removed again).
    /// </summary>
    public static string? WhyNot(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }
        string full = Path.GetFullPath(directory);
        string missing = full;
        while (Path.GetDirectoryName(missing) is { } parent && !Path.Exists(parent))
        {
            missing = parent;
        }
        if (MakeDirectory(missing, Convert.ToUInt32("777", 8)) == 0)
        {
            Directory.Delete(missing);
            return null;
        }
        string reason = Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
        return missing == full ? reason : $"{missing}: {reason}";
    }

    [LibraryImport("libc", EntryPoint = "mkdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MakeDirectory(string path, uint mode);
}
