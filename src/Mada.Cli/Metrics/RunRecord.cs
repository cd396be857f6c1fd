using System.Text.Json;

namespace Mada.Cli.Metrics;

/// <summary>
/// A run as metrics.json holds it: <see cref="Run"/> (what was trained, how) and <see cref="Steps"/>
/// (one object per logged step, the columns of metrics.csv with the coefficients nested).
/// </summary>
internal sealed record RunRecord(RunInfo Run, IReadOnlyList<MetricsRow> Steps)
{
    public const string FileName = "metrics.json";

    /// <summary>The record of the run in <paramref name="directory"/>.</summary>
    /// <exception cref="CliException">The folder holds no readable metrics.json.</exception>
    public static RunRecord Load(string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            throw new CliException($"{directory} is not a run folder: it has no {FileName}.");
        }
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<RunRecord>(stream, JsonFiles.Options)
                ?? throw new CliException($"{path} holds no run.");
        }
        catch (JsonException e)
        {
            throw new CliException($"{path} is not a metrics file of this program: {e.Message}");
        }
    }

    /// <summary>Writes metrics.json into <paramref name="directory"/>, atomically (written beside, then renamed).</summary>
    public void Save(string directory) => JsonFiles.Write(Path.Combine(directory, FileName), this);
}
