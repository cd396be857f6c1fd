using Mada.Native;

namespace Mada.Tests.Api;

/// <summary>When a library cannot be used, one exception says what was tried and what is missing; both libraries are found the same way.</summary>
public sealed class NativeLibraryLoaderTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mada-loader-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    public static TheoryData<string> Libraries() => new(KernelMethods.LibraryName, NativeMethods.LibraryName);

    private static NativeLibraryLoader Loader(string name) =>
        name == KernelMethods.LibraryName ? NativeLibraryLoader.Kernels : NativeLibraryLoader.Mada;

    [Theory]
    [MemberData(nameof(Libraries))]
    public void MissingLibraryNamesItAndTheBuildScript(string library)
    {
        var loader = Loader(library);
        string path = Path.Combine(directory, loader.FileName);

        var error = Assert.Throws<DllNotFoundException>(
            () => loader.LoadChecked([new LibraryCandidate("MADA_NATIVE_PATH=" + directory, path, IsFile: true)]));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("MADA_NATIVE_PATH", error.Message, StringComparison.Ordinal);
        Assert.Contains("./build.sh", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void UnloadableLibraryReportsTheLoadersOwnReason(string library)
    {
        var loader = Loader(library);
        string path = Path.Combine(directory, loader.FileName);
        // Longer than an ELF header, so the loader gets as far as checking it.
        File.WriteAllText(path, new string('x', 4096));

        var error = Assert.Throws<DllNotFoundException>(
            () => loader.LoadChecked([new LibraryCandidate("test", path, IsFile: true)]));

        // glibc's dlerror for a file that is not ELF.
        Assert.Contains("invalid ELF header", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryCandidateTriedIsListed()
    {
        var loader = NativeLibraryLoader.Mada;
        string first = Path.Combine(directory, "first", loader.FileName);
        string second = Path.Combine(directory, "second", loader.FileName);

        var error = Assert.Throws<DllNotFoundException>(() => loader.LoadChecked(
            [new LibraryCandidate("first place", first, IsFile: true), new LibraryCandidate("second place", second, IsFile: true)]));

        Assert.Contains("first place", error.Message, StringComparison.Ordinal);
        Assert.Contains("second place", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherAbiVersionIsRefusedNamingBothVersions()
    {
        uint other = NativeMethods.MADA_ABI_VERSION + 1;

        var error = Assert.Throws<MadaException>(() => NativeLibraryLoader.Mada.CheckAbiVersion(other, "/some/libmada.so"));

        Assert.Contains($"MADA ABI version {other}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"version {NativeMethods.MADA_ABI_VERSION}", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The kernels are checked against their own version, not libmada's.</summary>
    [Fact]
    public void KernelsAreCheckedAgainstTheKernelsAbiVersion()
    {
        uint other = KernelMethods.MADA_KERNELS_ABI_VERSION + 1;

        var error = Assert.Throws<MadaException>(
            () => NativeLibraryLoader.Kernels.CheckAbiVersion(other, "/some/libmada_kernels.so"));
        Assert.Contains($"kernels ABI version {other}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"version {KernelMethods.MADA_KERNELS_ABI_VERSION}", error.Message, StringComparison.Ordinal);

        // Its own version passes even where it differs from libmada's.
        NativeLibraryLoader.Kernels.CheckAbiVersion(KernelMethods.MADA_KERNELS_ABI_VERSION, "/some/libmada_kernels.so");
    }

    /// <summary>A library without this library's version function is refused by name. (libmada_kernels does not link libmada.)</summary>
    [Fact]
    public void LibraryWithoutItsOwnVersionExportIsRefused()
    {
        var error = Assert.Throws<DllNotFoundException>(
            () => NativeLibraryLoader.Mada.CheckAbi(NativeLibraryLoader.Kernels.Handle, "/some/libmada_kernels.so"));

        Assert.Contains("mada_abi_version", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void DirectoryInTheVariableMeansTheLibraryInsideIt(string library)
    {
        var loader = Loader(library);
        var candidate = Assert.Single(CandidatesWithVariable(loader, directory));

        Assert.Equal(Path.Combine(directory, loader.FileName), candidate.Path);
    }

    /// <summary>MADA_NATIVE_PATH naming one library's file: that file for it, its folder for the other.</summary>
    [Fact]
    public void FileInTheVariableMeansThatLibraryAndItsFolderForTheOther()
    {
        string libmada = Path.Combine(directory, NativeLibraryLoader.Mada.FileName);
        string kernels = Path.Combine(directory, NativeLibraryLoader.Kernels.FileName);

        Assert.Equal(libmada, Assert.Single(CandidatesWithVariable(NativeLibraryLoader.Mada, libmada)).Path);
        Assert.Equal(kernels, Assert.Single(CandidatesWithVariable(NativeLibraryLoader.Kernels, libmada)).Path);
        Assert.Equal(kernels, Assert.Single(CandidatesWithVariable(NativeLibraryLoader.Kernels, kernels)).Path);
        Assert.Equal(libmada, Assert.Single(CandidatesWithVariable(NativeLibraryLoader.Mada, kernels)).Path);

        // A file of another name is libmada, as it was before there were two libraries.
        string renamed = Path.Combine(directory, "libmada-custom.so");
        Assert.Equal(renamed, Assert.Single(CandidatesWithVariable(NativeLibraryLoader.Mada, renamed)).Path);
        Assert.Equal(kernels, Assert.Single(CandidatesWithVariable(NativeLibraryLoader.Kernels, renamed)).Path);
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void WithoutTheVariableBothAreSearchedNextToMadaDllThenByDefault(string library)
    {
        var loader = Loader(library);
        var candidates = CandidatesWithVariable(loader, null);

        Assert.Equal(2, candidates.Count);
        Assert.Equal(loader.FileName, Path.GetFileName(candidates[0].Path));
        Assert.Equal(Path.GetDirectoryName(typeof(MadaEngine).Assembly.Location), Path.GetDirectoryName(candidates[0].Path));
        Assert.Equal((library, false), (candidates[1].Path, candidates[1].IsFile));
    }

    private static IReadOnlyList<LibraryCandidate> CandidatesWithVariable(NativeLibraryLoader loader, string? value)
    {
        string? saved = Environment.GetEnvironmentVariable(NativeLibraryLoader.PathVariable);
        try
        {
            Environment.SetEnvironmentVariable(NativeLibraryLoader.PathVariable, value);
            return loader.Candidates();
        }
        finally
        {
            Environment.SetEnvironmentVariable(NativeLibraryLoader.PathVariable, saved);
        }
    }
}
