namespace Mada.Tests.Infrastructure;

/// <summary>Where things are: the repository root is the folder holding Mada.Interop.sln above the test assembly.</summary>
internal static class RepoLayout
{
    public const string BuildDirectoryVariable = "MADA_BUILD_DIR";

    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string VectorsDirectory => Path.Combine(Root, "tests", "vectors");

    /// <summary>A repository-relative path ('/' separators, as CommittedBindings spells them) made absolute.</summary>
    public static string PathOf(string repositoryRelative) => Path.Combine(Root, repositoryRelative);

    /// <summary>The CMake build directory: MADA_BUILD_DIR (as build.sh sets it), else build/.</summary>
    public static string BuildDirectory =>
        Environment.GetEnvironmentVariable(BuildDirectoryVariable) is { Length: > 0 } configured
            ? configured
            : Path.Combine(Root, "build");

    /// <summary>The native build outputs: libmada.so and mada_vector_tool.</summary>
    public static string NativeBuildDirectory => Path.Combine(BuildDirectory, "native");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Mada.Interop.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No Mada.Interop.sln above {AppContext.BaseDirectory}.");
    }
}
