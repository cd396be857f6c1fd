using System.Reflection;
using System.Runtime.InteropServices;

namespace Mada.Native;

/// <summary>
/// Finds and loads libmada for the generated imports, then checks that it implements the ABI
/// version the bindings were generated for. Order: MADA_NATIVE_PATH (a file, or a directory
/// holding the library; when set it is the only place tried), next to Mada.dll, the default
/// search. Failure is one <see cref="DllNotFoundException"/> naming every place tried and why.
/// </summary>
internal static class NativeLibraryLoader
{
    public const string PathVariable = "MADA_NATIVE_PATH";

    private static readonly Lock Gate = new();
    private static nint library;

    /// <summary>libmada.so, mada.dll or libmada.dylib.</summary>
    public static string FileName { get; } =
        OperatingSystem.IsWindows() ? $"{NativeMethods.LibraryName}.dll"
        : OperatingSystem.IsMacOS() ? $"lib{NativeMethods.LibraryName}.dylib"
        : $"lib{NativeMethods.LibraryName}.so";

    public static void Register() =>
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);

    /// <summary>The loaded library, loading it first if needed.</summary>
    public static nint Handle
    {
        get
        {
            lock (Gate)
            {
                if (library == 0)
                {
                    library = LoadChecked(Candidates());
                }
                return library;
            }
        }
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == NativeMethods.LibraryName ? Handle : 0;

    /// <summary>Where to look, in order.</summary>
    internal static IReadOnlyList<LibraryCandidate> Candidates()
    {
        string? configured = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            string path = Directory.Exists(configured) ? Path.Combine(configured, FileName) : configured;
            return [new LibraryCandidate($"{PathVariable}={configured}", path, IsFile: true)];
        }

        string assemblyDirectory = Path.GetDirectoryName(typeof(NativeLibraryLoader).Assembly.Location) is { Length: > 0 } directory
            ? directory
            : AppContext.BaseDirectory;
        return
        [
            new LibraryCandidate("next to Mada.dll", Path.Combine(assemblyDirectory, FileName), IsFile: true),
            new LibraryCandidate("default search", NativeMethods.LibraryName, IsFile: false),
        ];
    }

    /// <summary>
    /// Loads the first candidate that loads. One that loads but implements another ABI version
    /// stops the search with a <see cref="MadaException"/>: it is the library the user pointed at.
    /// </summary>
    internal static nint LoadChecked(IReadOnlyList<LibraryCandidate> candidates)
    {
        var failures = new List<string>();
        foreach (var candidate in candidates)
        {
            if (candidate.IsFile && !File.Exists(candidate.Path))
            {
                failures.Add($"{candidate.Description} ({candidate.Path}): no such file");
                continue;
            }
            try
            {
                nint handle = candidate.IsFile
                    ? NativeLibrary.Load(candidate.Path)
                    : NativeLibrary.Load(candidate.Path, typeof(NativeLibraryLoader).Assembly, searchPath: null);
                try
                {
                    CheckAbi(handle, candidate.Path);
                }
                catch
                {
                    NativeLibrary.Free(handle);
                    throw;
                }
                return handle;
            }
            catch (DllNotFoundException e)
            {
                failures.Add($"{candidate.Description} ({candidate.Path}): {LoaderErrors(e.Message)}");
            }
        }

        throw new DllNotFoundException(
            $"Could not load the MADA native library ({FileName}).\n  " +
            string.Join("\n  ", failures) +
            $"\nBuild it with ./build.sh, which also installs libtorch, then set {PathVariable} to the folder " +
            $"holding {FileName} (build/native) or copy it next to Mada.dll. If {FileName} was found but a " +
            "library it needs is missing (libtorch_cpu.so, libc10.so), libtorch is not where the build put it.");
    }

    /// <summary>Refuses a library built for another ABI version than the generated bindings.</summary>
    internal static unsafe void CheckAbi(nint handle, string path)
    {
        if (!NativeLibrary.TryGetExport(handle, "mada_abi_version", out nint export))
        {
            throw new DllNotFoundException($"{path} is not a MADA library: it exports no mada_abi_version.");
        }
        // Called through the raw export: the generated import would re-enter this resolver.
        uint version = ((delegate* unmanaged<uint>)export)();
        CheckAbiVersion(version, path);
    }

    internal static void CheckAbiVersion(uint libraryVersion, string path)
    {
        if (libraryVersion != NativeMethods.MADA_ABI_VERSION)
        {
            throw new MadaException(
                $"{path} implements MADA ABI version {libraryVersion}, but Mada.dll was generated for version " +
                $"{NativeMethods.MADA_ABI_VERSION}. Rebuild the native library (./build.sh) and Mada.dll from the same sources.");
        }
    }

    /// <summary>
    /// The dlerror lines of a loader message, without the runtime's advice and without the
    /// lines about probed paths that do not exist (those are only noise next to the real cause).
    /// </summary>
    internal static string LoaderErrors(string message)
    {
        const string Marker = "environment variable:";
        int start = message.IndexOf(Marker, StringComparison.Ordinal);
        string details = start >= 0 ? message[(start + Marker.Length)..] : message;
        var lines = details.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !IsProbeOfMissingFile(line))
            .ToList();
        return lines.Count > 0 ? string.Join("; ", lines) : "not found";
    }

    private static bool IsProbeOfMissingFile(string line)
    {
        int colon = line.IndexOf(": ", StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }
        string path = line[..colon];
        return Path.IsPathRooted(path) && !File.Exists(path);
    }
}

/// <summary>One place to look for the library: a file path, or a bare name for the default search.</summary>
internal readonly record struct LibraryCandidate(string Description, string Path, bool IsFile);
