using System.Diagnostics;
using Mada.Native;
using Mada.Tests.Checkpoints;
using Mada.Tests.Infrastructure;

namespace Mada.Tests.Api;

/// <summary>A libmada that loads but for a library it needs from the system says which Debian package to install.</summary>
public sealed class SystemLibrariesTests
{
    [Theory]
    [InlineData("libc10.so.1.13: cannot open shared object file: No such file or directory", "libtorch1.13")]
    [InlineData("libtorch_cpu.so.1.13: cannot open shared object file: No such file or directory", "libtorch1.13")]
    [InlineData("libblas.so.3: cannot open shared object file: No such file or directory", "libopenblas0-pthread")]
    public void MissingSystemLibraryIsNamedWithItsPackage(string loaderError, string package)
    {
        string? advice = SystemLibraries.InstallAdvice($"next to Mada.dll (/app/libmada.so): {loaderError}");

        Assert.NotNull(advice);
        Assert.StartsWith(loaderError[..loaderError.IndexOf(':')], advice, StringComparison.Ordinal);
        Assert.Contains($"sudo apt-get install {package}", advice, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("libmada.so: cannot open shared object file: No such file or directory")]  // ours: not the system's
    [InlineData("/app/libmada.so: invalid ELF header")]
    public void OtherFailuresGetNoInstallAdvice(string loaderError) =>
        Assert.Null(SystemLibraries.InstallAdvice(loaderError));

    /// <summary>The real loader's message, from a copy of libmada whose libtorch cannot be found.</summary>
    [Fact]
    public void LibmadaWithoutLibtorchSaysToInstallIt()
    {
        using var directory = new TemporaryDirectory();
        string copy = directory.File(NativeLibraryLoader.Mada.FileName);
        File.Copy(Path.Combine(RepoLayout.NativeBuildDirectory, NativeLibraryLoader.Mada.FileName), copy);
        Run("patchelf", "--replace-needed", "libtorch_cpu.so.1.13", "libtorch_cpu_absent.so.1.13", copy);

        var error = Assert.Throws<DllNotFoundException>(
            () => NativeLibraryLoader.Mada.LoadChecked([new LibraryCandidate("test", copy, IsFile: true)]));

        Assert.Contains("libtorch_cpu_absent.so.1.13 is missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("sudo apt-get install libtorch1.13", error.Message, StringComparison.Ordinal);
    }

    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })
            ?? throw new InvalidOperationException($"Could not start {program}.");
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)}: {error}");
    }
}
