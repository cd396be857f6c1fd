using System.Text.RegularExpressions;

namespace Mada.Bindings.Generator;

/// <summary>Writes C type spellings the way mada.h does ("const float* data", not clang's "const float *data").</summary>
internal static partial class CTypes
{
    public static string Format(string clangSpelling)
    {
        string tight = SpaceBeforeStar().Replace(clangSpelling, "*");
        return StarConst().Replace(tight, "* const");
    }

    public static string Declaration(string clangSpelling, string name) => $"{Format(clangSpelling)} {name}";

    [GeneratedRegex(@"\s+\*")]
    private static partial Regex SpaceBeforeStar();

    [GeneratedRegex(@"\*const\b")]
    private static partial Regex StarConst();
}
