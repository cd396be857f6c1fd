using Mada.Native;

namespace Mada.Tests.Api;

/// <summary>When the library cannot be used, one exception says what was tried and what is missing.</summary>
public sealed class NativeLibraryLoaderTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mada-loader-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void MissingLibraryNamesItAndTheBuildScript()
    {
        string path = Path.Combine(directory, NativeLibraryLoader.FileName);

        var error = Assert.Throws<DllNotFoundException>(
            () => NativeLibraryLoader.LoadChecked([new LibraryCandidate("MADA_NATIVE_PATH=" + directory, path, IsFile: true)]));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("MADA_NATIVE_PATH", error.Message, StringComparison.Ordinal);
        Assert.Contains("./build.sh", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnloadableLibraryReportsTheLoadersOwnReason()
    {
        string path = Path.Combine(directory, NativeLibraryLoader.FileName);
        // Longer than an ELF header, so the loader gets as far as checking it.
        File.WriteAllText(path, new string('x', 4096));

        var error = Assert.Throws<DllNotFoundException>(
            () => NativeLibraryLoader.LoadChecked([new LibraryCandidate("test", path, IsFile: true)]));

        // glibc's dlerror for a file that is not ELF.
        Assert.Contains("invalid ELF header", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryCandidateTriedIsListed()
    {
        string first = Path.Combine(directory, "first", NativeLibraryLoader.FileName);
        string second = Path.Combine(directory, "second", NativeLibraryLoader.FileName);

        var error = Assert.Throws<DllNotFoundException>(() => NativeLibraryLoader.LoadChecked(
            [new LibraryCandidate("first place", first, IsFile: true), new LibraryCandidate("second place", second, IsFile: true)]));

        Assert.Contains("first place", error.Message, StringComparison.Ordinal);
        Assert.Contains("second place", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherAbiVersionIsRefusedNamingBothVersions()
    {
        uint other = NativeMethods.MADA_ABI_VERSION + 1;

        var error = Assert.Throws<MadaException>(() => NativeLibraryLoader.CheckAbiVersion(other, "/some/libmada.so"));

        Assert.Contains($"version {other}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"version {NativeMethods.MADA_ABI_VERSION}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DirectoryInTheVariableMeansTheLibraryInsideIt()
    {
        string? saved = Environment.GetEnvironmentVariable(NativeLibraryLoader.PathVariable);
        try
        {
            Environment.SetEnvironmentVariable(NativeLibraryLoader.PathVariable, directory);

            var candidate = Assert.Single(NativeLibraryLoader.Candidates());

            Assert.Equal(Path.Combine(directory, NativeLibraryLoader.FileName), candidate.Path);
        }
        finally
        {
            Environment.SetEnvironmentVariable(NativeLibraryLoader.PathVariable, saved);
        }
    }
}
