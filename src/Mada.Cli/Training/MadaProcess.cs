using System.Diagnostics;

namespace Mada.Cli.Training;

/// <summary>
/// This program started again as a child process (<c>dotnet Mada.Cli.dll ...</c>), for the runs
/// of a sweep that go side by side. Processes, not threads: libtorch's thread count is
/// process-wide, and each run gets its own.
/// </summary>
internal static class MadaProcess
{
    /// <summary>
    /// How to start this program with <paramref name="arguments"/>, using <paramref name="threads"/>
    /// threads, its output captured (for a log) or, without <paramref name="captureOutput"/>, on this console.
    /// </summary>
    public static ProcessStartInfo With(IEnumerable<string> arguments, int threads, bool captureOutput = true)
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
            RedirectStandardOutput = captureOutput,
            RedirectStandardError = captureOutput,
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

    /// <summary>
    /// The command line <paramref name="parse"/> read, without the options named in
    /// <paramref name="flags"/> (and their values): what a child gets before the options of its own.
    /// </summary>
    public static List<string> ArgumentsWithout(System.CommandLine.ParseResult parse, params string[] flags)
    {
        var tokens = parse.Tokens.Select(token => token.Value).ToList();
        var kept = new List<string>();
        for (int i = 0; i < tokens.Count; i++)
        {
            if (flags.Contains(tokens[i]))
            {
                i++;  // and its value
                continue;
            }
            if (flags.Any(flag => tokens[i].StartsWith(flag + "=", StringComparison.Ordinal)))
            {
                continue;
            }
            kept.Add(tokens[i]);
        }
        return kept;
    }
}
