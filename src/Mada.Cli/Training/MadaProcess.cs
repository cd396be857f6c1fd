using System.Diagnostics;

namespace Mada.Cli.Training;

/// <summary>
/// This program started again as a child process (<c>dotnet Mada.Cli.dll ...</c>), for the runs
/// of a sweep that go side by side. Processes, not threads: libtorch's thread count is
/// process-wide, and each run gets its own.
/// </summary>
internal static class MadaProcess
{
    /// <summary>How to start this program with <paramref name="arguments"/>, its output captured, using <paramref name="threads"/> threads.</summary>
    public static ProcessStartInfo With(IEnumerable<string> arguments, int threads)
    {
        // The host that runs us when it is dotnet itself (tests, `dotnet mada.dll`); else the one
        // the SDK names, or the one on PATH (the apphost and the tool shim run the same assembly).
        string? current = Environment.ProcessPath;
        string host = current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet"
            ? current
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var info = new ProcessStartInfo(host)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(typeof(MadaProcess).Assembly.Location);
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        // libtorch's OpenMP pool and OpenBLAS size themselves from these when the process starts.
        info.Environment["OMP_NUM_THREADS"] = threads.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["OPENBLAS_NUM_THREADS"] = "1";
        return info;
    }
}
