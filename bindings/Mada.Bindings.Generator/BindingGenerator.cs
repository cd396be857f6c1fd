using Mada.Bindings.Generator.Clang;

namespace Mada.Bindings.Generator;

/// <summary>Header in, C# bindings out. Used by the command line and by the tests.</summary>
public static class BindingGenerator
{
    /// <summary>Parses the header and returns its declarations.</summary>
    public static NativeHeader Read(string headerPath, BindingOptions options, TextWriter? log = null)
    {
        if (!File.Exists(headerPath))
        {
            throw new GeneratorException($"Header not found: {headerPath}");
        }

        var includes = options.SystemIncludeDirectories.Count > 0
            ? options.SystemIncludeDirectories
            : [SystemIncludes.FromGcc()];
        var arguments = new List<string> { "-x", "c", "-std=c99" };
        foreach (string include in options.IncludeDirectories)
        {
            arguments.Add("-I");
            arguments.Add(include);
        }
        foreach (string include in includes)
        {
            arguments.Add("-isystem");
            arguments.Add(include);
        }

        using var unit = TranslationUnit.Parse(headerPath, arguments, log);
        return HeaderReader.Read(unit, options.Prefix);
    }

    /// <summary>The text of the generated C# file.</summary>
    public static string Generate(string headerPath, BindingOptions options, TextWriter? log = null) =>
        CSharpWriter.Write(Read(headerPath, options, log), options);
}
