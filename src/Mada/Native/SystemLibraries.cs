using System.Text.RegularExpressions;

namespace Mada.Native;

/// <summary>
/// What libmada needs from the system rather than from the Mada packages, and the Debian package
/// that brings each: a load that fails for want of one of them says what to install.
/// </summary>
internal static partial class SystemLibraries
{
    private sealed record Requirement(string What, string DebianPackage, params string[] FileNamePrefixes);

    private static readonly Requirement[] Requirements =
    [
        new("Debian 12's libtorch 1.13", "libtorch1.13", "libtorch", "libc10"),
        // libtorch's BLAS, libblas.so.3: any provides it; OpenBLAS is the fast one.
        new("a BLAS, best OpenBLAS", "libopenblas0-pthread", "libblas.so", "liblapack.so", "libopenblas"),
    ];

    /// <summary>All of it, for a failed load of libmada (the package descriptions say the same, from Directory.Build.props).</summary>
    public static string Summary { get; } =
        $"libmada needs from the system {string.Join(" and ", Requirements.Select(r => r.What))}: " +
        $"sudo apt-get install {string.Join(" ", Requirements.Select(r => r.DebianPackage))}.";

    /// <summary>
    /// For each library the system loader could not find (its dlerror: "libc10.so.1.13: cannot open
    /// shared object file") that is one of ours to name, what it is and the apt command that
    /// installs it; null when the message names none.
    /// </summary>
    public static string? InstallAdvice(string loaderMessage)
    {
        var advice = MissingFile().Matches(loaderMessage)
            .Select(match => match.Groups["file"].Value)
            .Distinct()
            .Select(file => (file, requirement: Requirements.FirstOrDefault(
                r => r.FileNamePrefixes.Any(prefix => file.StartsWith(prefix, StringComparison.Ordinal)))))
            .Where(missing => missing.requirement is not null)
            .Select(missing => $"{missing.file} is missing: it comes from {missing.requirement!.What}. " +
                               $"Install it: sudo apt-get install {missing.requirement.DebianPackage}")
            .Distinct()
            .ToList();
        return advice.Count > 0 ? string.Join("\n", advice) : null;
    }

    [GeneratedRegex(@"(?<file>[^\s:;/]+): cannot open shared object file")]
    private static partial Regex MissingFile();
}
