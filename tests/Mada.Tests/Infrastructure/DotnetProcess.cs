using System.Diagnostics;

namespace Mada.Tests.Infrastructure;

/// <summary>
/// Runs a .NET assembly in a process of its own with standard output and error redirected (as
/// a shell pipe would take them), for what a test process cannot show about itself. Shared by
/// the test projects.
/// </summary>
internal static class DotnetProcess
{
    /// <summary>Runs <paramref name="assembly"/> with <paramref name="arguments"/>; a run longer than 2 minutes is killed and throws.</summary>
    public static (int ExitCode, string Output, string Error) Run(string assembly, IEnumerable<string> arguments)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dotnet}.");
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(assembly)} {string.Join(' ', arguments)} did not finish in 2 minutes.");
        }
        return (process.ExitCode, output, error.Result);
    }
}
