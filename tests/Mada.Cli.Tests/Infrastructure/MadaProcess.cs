using System.Diagnostics;

namespace Mada.Cli.Tests.Infrastructure;

/// <summary>
/// Runs <c>mada</c> as a process of its own with standard output and error redirected, as a shell
/// pipe or a file would take them: what <see cref="MadaProgram"/>'s in-process console cannot show.
/// </summary>
internal static class MadaProcess
{
    public static CliResult Run(params string[] arguments)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(MadaCli).Assembly.Location);
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
            throw new TimeoutException($"mada {string.Join(' ', arguments)} did not finish in 2 minutes.");
        }
        return new CliResult(process.ExitCode, output, error.Result);
    }
}
