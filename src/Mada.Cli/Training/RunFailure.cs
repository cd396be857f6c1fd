using System.Text.Json;
using Mada.Cli.Metrics;
using Mada.Cli.Reporting;

namespace Mada.Cli.Training;

/// <summary>
/// failure.json in a run folder: a run of a sweep that the library stopped (a diverged loss, an
/// error), with the settings it ran with. It marks the run as done: the same settings fail the same way.
/// </summary>
/// <param name="Run">What was trained and how, as metrics.json would record it.</param>
/// <param name="Status">Diverged or failed.</param>
/// <param name="Message">The library's message.</param>
internal sealed record RunFailure(RunInfo Run, CellStatus Status, string Message)
{
    public const string FileName = "failure.json";

    /// <summary>The failure recorded in <paramref name="directory"/>; null when there is none.</summary>
    /// <exception cref="CliException">The file is not one this program wrote.</exception>
    public static RunFailure? Load(string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<RunFailure>(stream, JsonFiles.Options) ?? throw new CliException($"{path} holds no failure.");
        }
        catch (JsonException e)
        {
            throw new CliException($"{path} is not a failure record of this program: {e.Message}");
        }
    }

    /// <summary>Writes failure.json into <paramref name="directory"/>, atomically.</summary>
    public void Save(string directory)
    {
        RunFolder.Create(directory);
        JsonFiles.Write(Path.Combine(directory, FileName), this);
    }
}
