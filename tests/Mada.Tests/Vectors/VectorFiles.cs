using Mada.Tests.Infrastructure;

namespace Mada.Tests.Vectors;

/// <summary>
/// The vector files to replay: every *.json in tests/vectors/, plus every *.json in each
/// directory listed in MADA_EXTRA_VECTORS (separated like PATH: ':' on Linux).
/// </summary>
public static class VectorFiles
{
    public const string ExtraDirectoriesVariable = "MADA_EXTRA_VECTORS";

    public static IReadOnlyList<string> All()
    {
        var files = new List<string>(JsonFilesIn(RepoLayout.VectorsDirectory));
        string? extra = Environment.GetEnvironmentVariable(ExtraDirectoriesVariable);
        foreach (string directory in (extra ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            // A listed directory that does not exist is kept as an entry, so its test fails instead of vanishing.
            files.AddRange(Directory.Exists(directory) ? JsonFilesIn(directory) : [directory]);
        }
        return files;
    }

    /// <summary>For [MemberData]: one case per file, named by its path relative to the repository.</summary>
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (string file in All())
        {
            data.Add(DisplayPath(file));
        }
        return data;
    }

    public static string Resolve(string displayPath) =>
        Path.IsPathRooted(displayPath) ? displayPath : Path.Combine(RepoLayout.Root, displayPath);

    private static IEnumerable<string> JsonFilesIn(string directory) =>
        Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal);

    private static string DisplayPath(string file)
    {
        string relative = Path.GetRelativePath(RepoLayout.Root, Path.GetFullPath(file));
        return relative.StartsWith("..", StringComparison.Ordinal) ? Path.GetFullPath(file) : relative.Replace('\\', '/');
    }
}
