using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mada.Cli.Metrics;

/// <summary>How this program's JSON files (metrics.json, summary.json) are written and read.</summary>
internal static class JsonFiles
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // A diverged run's NaN loss is data too.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = true,
    };

    /// <summary>Writes <paramref name="value"/> to <paramref name="path"/> atomically (<see cref="AtomicFile"/>): a reader never sees half a file.</summary>
    public static void Write<T>(string path, T value) =>
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, value, Options));
}
