using System.Diagnostics;
using Mada.Tests.Infrastructure;

namespace Mada.Tests.Checkpoints;

/// <summary>
/// The native build's mada_vector_tool: replays steps FROM+1..TO of a vector file in C++, from
/// a checkpoint and a raw float32 parameter file, checks them against the file (exit code 0
/// only if all match) and writes a checkpoint and parameters back. "-" skips an input or output.
/// </summary>
internal static class VectorTool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static string Path => System.IO.Path.Combine(RepoLayout.NativeBuildDirectory, "mada_vector_tool");

    public static void Run(string vectorFile, int from, int to, string inCheckpoint, string inParameters, string outCheckpoint, string outParameters)
    {
        Assert.True(File.Exists(Path), $"{Path} does not exist: build the native side first (./build.sh), or set {RepoLayout.BuildDirectoryVariable} to the CMake build directory.");

        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { vectorFile, $"{from}", $"{to}", inCheckpoint, inParameters, outCheckpoint, outParameters })
        {
            start.ArgumentList.Add(argument);
        }

        using var tool = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Path}.");
        var output = tool.StandardOutput.ReadToEndAsync();
        var errors = tool.StandardError.ReadToEndAsync();
        if (!tool.WaitForExit(Timeout))
        {
            tool.Kill(entireProcessTree: true);
            Assert.Fail($"mada_vector_tool did not finish within {Timeout}.");
        }

        Assert.True(
            tool.ExitCode == 0,
            $"mada_vector_tool {string.Join(' ', start.ArgumentList)} exited with {tool.ExitCode}:\n{output.Result}\n{errors.Result}");
    }
}
