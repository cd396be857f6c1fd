using System.Reflection;
using System.Runtime.InteropServices;

namespace Mada.Native;

/// <summary>
/// Finds and loads one of the native libraries for the generated imports, then checks that it
/// implements the ABI version its bindings were generated for. Two libraries, one search order:
/// <see cref="Kernels"/> (libmada_kernels, the step on caller-owned memory; needs only the C++
/// runtime) and <see cref="Mada"/> (libmada, libtorch-based; links libmada_kernels, which is
/// loaded first from the same places). Using only the kernels (MadaEngine, MadaOptions) never
/// loads libmada, so they can live in a process that holds another libtorch.
/// Order: MADA_NATIVE_PATH (a directory holding the libraries, or a file: that library, the
/// others from its folder; when set it is the only place tried), next to Mada.dll, the default
/// search (which, through the application's deps.json, includes the Mada.Native.linux-x64
/// package's runtimes/linux-x64/native/). Failure is one <see cref="DllNotFoundException"/>
/// naming every place tried and why, and any library it needs from the system that is missing.
/// </summary>
internal sealed class NativeLibraryLoader
{
    public const string PathVariable = "MADA_NATIVE_PATH";

    /// <summary>The NuGet package holding both libraries (src/Mada.Native.linux-x64), a dependency of Mada's.</summary>
    public const string NativePackage = "Mada.Native.linux-x64";

    private static readonly Lock RegistrationGate = new();
    private static bool registered;

    private readonly Lock gate = new();
    private readonly string versionExport;
    private readonly uint expectedVersion;
    private readonly string abiName;
    private readonly NativeLibraryLoader? prerequisite;
    private readonly bool ownsUnknownFileNames;
    private readonly string dependencyHint;
    private nint library;

    private NativeLibraryLoader(
        string name, string versionExport, uint expectedVersion, string abiName, NativeLibraryLoader? prerequisite,
        bool ownsUnknownFileNames, string dependencyHint)
    {
        Name = name;
        FileName = OperatingSystem.IsWindows() ? $"{name}.dll"
            : OperatingSystem.IsMacOS() ? $"lib{name}.dylib"
            : $"lib{name}.so";
        this.versionExport = versionExport;
        this.expectedVersion = expectedVersion;
        this.abiName = abiName;
        this.prerequisite = prerequisite;
        this.ownsUnknownFileNames = ownsUnknownFileNames;
        this.dependencyHint = dependencyHint;
    }

    /// <summary>libmada_kernels: KernelMethods' imports.</summary>
    public static NativeLibraryLoader Kernels { get; } = new(
        KernelMethods.LibraryName, "mada_kernels_abi_version", KernelMethods.MADA_KERNELS_ABI_VERSION, "MADA kernels ABI",
        prerequisite: null, ownsUnknownFileNames: false,
        dependencyHint: "It needs nothing but the C++ runtime (libstdc++).");

    /// <summary>libmada: NativeMethods' imports.</summary>
    public static NativeLibraryLoader Mada { get; } = new(
        NativeMethods.LibraryName, "mada_abi_version", NativeMethods.MADA_ABI_VERSION, "MADA ABI",
        prerequisite: Kernels, ownsUnknownFileNames: true,
        dependencyHint: SystemLibraries.Summary);

    /// <summary>The name in <c>[LibraryImport]</c>.</summary>
    public string Name { get; }

    /// <summary>libmada.so, mada.dll or libmada.dylib (likewise for mada_kernels).</summary>
    public string FileName { get; }

    /// <summary>Whether this library is loaded already (by this loader).</summary>
    public bool IsLoaded
    {
        get
        {
            lock (gate)
            {
                return library != 0;
            }
        }
    }

    /// <summary>The loaded library, loading it (and first what it links) if needed.</summary>
    public nint Handle
    {
        get
        {
            // libmada's dependency on libmada_kernels is then satisfied by the one loaded here,
            // from the same place, whatever the library's own search path says.
            _ = prerequisite?.Handle;
            lock (gate)
            {
                if (library == 0)
                {
                    library = LoadChecked(Candidates());
                }
                return library;
            }
        }
    }

    /// <summary>Installs the resolver for both libraries; called by each import class's static constructor, effective once.</summary>
    public static void Register()
    {
        lock (RegistrationGate)
        {
            if (!registered)
            {
                NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);
                registered = true;
            }
        }
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == Kernels.Name ? Kernels.Handle
        : name == Mada.Name ? Mada.Handle
        : 0;

    /// <summary>Where to look, in order.</summary>
    internal IReadOnlyList<LibraryCandidate> Candidates()
    {
        string? configured = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            if (Directory.Exists(configured))
            {
                return [new LibraryCandidate($"{PathVariable}={configured}", Path.Combine(configured, FileName), IsFile: true)];
            }
            if (NamesThisLibrary(configured))
            {
                return [new LibraryCandidate($"{PathVariable}={configured}", configured, IsFile: true)];
            }
            string folder = Path.GetDirectoryName(Path.GetFullPath(configured)) ?? ".";
            return [new LibraryCandidate($"the folder of {PathVariable}={configured}", Path.Combine(folder, FileName), IsFile: true)];
        }

        string assemblyDirectory = Path.GetDirectoryName(typeof(NativeLibraryLoader).Assembly.Location) is { Length: > 0 } directory
            ? directory
            : AppContext.BaseDirectory;
        return
        [
            new LibraryCandidate("next to Mada.dll", Path.Combine(assemblyDirectory, FileName), IsFile: true),
            new LibraryCandidate("default search", Name, IsFile: false),
        ];
    }

    /// <summary>
    /// A file named in the variable is the library of that file name; one named otherwise
    /// (libmada.so.5, a renamed copy) is libmada, as before there were two libraries.
    /// </summary>
    private bool NamesThisLibrary(string file)
    {
        string name = Path.GetFileName(file);
        if (name == FileName)
        {
            return true;
        }
        bool namesAnother = name == Kernels.FileName || name == Mada.FileName;
        return !namesAnother && ownsUnknownFileNames;
    }

    /// <summary>
    /// Loads the first candidate that loads (<see cref="NativeLibrary.TryLoad(string, out nint)"/>
    /// decides). One that loads but implements another ABI version stops the search with a
    /// <see cref="MadaException"/>: it is the library the user pointed at.
    /// </summary>
    internal nint LoadChecked(IReadOnlyList<LibraryCandidate> candidates)
    {
        var failures = new List<string>();
        foreach (var candidate in candidates)
        {
            if (candidate.IsFile && !File.Exists(candidate.Path))
            {
                failures.Add($"{candidate.Description} ({candidate.Path}): no such file");
                continue;
            }
            bool loaded = candidate.IsFile
                ? NativeLibrary.TryLoad(candidate.Path, out nint handle)
                : NativeLibrary.TryLoad(candidate.Path, typeof(NativeLibraryLoader).Assembly, searchPath: null, out handle);
            if (!loaded)
            {
                failures.Add($"{candidate.Description} ({candidate.Path}): {WhyNotLoaded(candidate)}");
                continue;
            }
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

        // A library it needs from the system is the likely cause where the Mada package brought the file.
        string missingFromSystem = SystemLibraries.InstallAdvice(string.Join("\n", failures)) is { } advice ? advice + "\n" : "";
        throw new DllNotFoundException(
            $"Could not load the MADA native library {FileName}.\n  " +
            string.Join("\n  ", failures) + "\n" + missingFromSystem +
            $"The Mada NuGet package brings it (in its dependency {NativePackage}). Or build it with ./build.sh, which " +
            $"also installs libtorch, then set {PathVariable} to the folder holding {FileName} (build/native) or copy " +
            $"it next to Mada.dll. {dependencyHint}");
    }

    /// <summary>
    /// For the message only, once TryLoad has refused a candidate: the system loader's reason (a
    /// missing dependency, not an ELF file), which the runtime gives only as the message of
    /// <see cref="NativeLibrary.Load(string)"/>'s exception, so it is asked once more.
    /// </summary>
    private static string WhyNotLoaded(LibraryCandidate candidate)
    {
        try
        {
            nint handle = candidate.IsFile
                ? NativeLibrary.Load(candidate.Path)
                : NativeLibrary.Load(candidate.Path, typeof(NativeLibraryLoader).Assembly, searchPath: null);
            NativeLibrary.Free(handle);
            return "not loaded on the first attempt";
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            return LoaderErrors(e.Message);
        }
    }

    /// <summary>Refuses a library built for another ABI version than the generated bindings.</summary>
    internal unsafe void CheckAbi(nint handle, string path)
    {
        if (!NativeLibrary.TryGetExport(handle, versionExport, out nint export))
        {
            throw new DllNotFoundException($"{path} is not {FileName}: it exports no {versionExport}.");
        }
        // Called through the raw export: the generated import would re-enter this resolver.
        uint version = ((delegate* unmanaged<uint>)export)();
        CheckAbiVersion(version, path);
    }

    internal void CheckAbiVersion(uint libraryVersion, string path)
    {
        if (libraryVersion != expectedVersion)
        {
            throw new MadaException(
                $"{path} implements {abiName} version {libraryVersion}, but Mada.dll was generated for version " +
                $"{expectedVersion}. Rebuild the native libraries (./build.sh) and Mada.dll from the same sources.");
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

/// <summary>One place to look for a library: a file path, or a bare name for the default search.</summary>
internal readonly record struct LibraryCandidate(string Description, string Path, bool IsFile);
