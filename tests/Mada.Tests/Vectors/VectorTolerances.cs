using System.Text.Json;
using Mada.Tests.Infrastructure;

namespace Mada.Tests.Vectors;

/// <summary>
/// The required tolerances of FORMAT.md, read from tests/vector-tolerances.json: the one table
/// the native and the managed vector tests share. The managed replays run in float32.
/// </summary>
public sealed record VectorTolerances(
    double XRelative, double QAbsolute, double HRelativeToFileMax, double GradNormRelative)
{
    public static string TablePath => Path.Combine(RepoLayout.Root, "tests", "vector-tolerances.json");

    private static readonly Lazy<VectorTolerances> Float32Row = new(() => Read(TablePath, "float32"));

    public static VectorTolerances Float32 => Float32Row.Value;

    /// <summary>The row <paramref name="precision"/> ("float32" or "float64") of the table at <paramref name="path"/>.</summary>
    public static VectorTolerances Read(string path, string precision)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var row = document.RootElement.GetProperty(precision);
        return new VectorTolerances(
            row.GetProperty("x_relative").GetDouble(),
            row.GetProperty("q_absolute").GetDouble(),
            row.GetProperty("h_relative_to_file_max").GetDouble(),
            row.GetProperty("grad_norm_relative").GetDouble());
    }
}
