using Mada.Native;
using Mada.Tests.Infrastructure;

namespace Mada.Tests.Engine;

/// <summary>
/// The engine, the options and the errors need only libmada_kernels: a process that uses only
/// them never maps libmada or libtorch, so it can hold TorchSharp's libtorch instead. Checked in
/// a fresh process (this one has loaded libmada long ago), with a control run that does load
/// libmada, so the check is shown able to see it.
/// </summary>
public sealed class KernelsOnlyProcessTests
{
    [Fact]
    public void UsingOnlyTheKernelsMapsNeitherLibmadaNorLibtorch()
    {
        var mapped = MappedFileNames(Probes.KernelsOnly);

        Assert.Contains(NativeLibraryLoader.Kernels.FileName, mapped);
        Assert.DoesNotContain(NativeLibraryLoader.Mada.FileName, mapped);
        Assert.DoesNotContain(mapped, name => name.StartsWith("libtorch", StringComparison.Ordinal) || name.StartsWith("libc10", StringComparison.Ordinal));
    }

    [Fact]
    public void ControlOneLibmadaCallMapsLibmadaAndLibtorch()
    {
        var mapped = MappedFileNames(Probes.WithLibmada);

        Assert.Contains(NativeLibraryLoader.Kernels.FileName, mapped);
        Assert.Contains(NativeLibraryLoader.Mada.FileName, mapped);
        Assert.Contains(mapped, name => name.StartsWith("libtorch", StringComparison.Ordinal));
    }

    private static IReadOnlyList<string> MappedFileNames(string probe)
    {
        var (exitCode, output) = ChildProcess.Run(probe);
        Assert.True(exitCode == 0, $"Probe {probe} exited with {exitCode}:\n{output}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith('/'))
            .Select(Path.GetFileName)
            .OfType<string>()
            .ToList();
    }
}
