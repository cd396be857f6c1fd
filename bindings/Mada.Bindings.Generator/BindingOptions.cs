namespace Mada.Bindings.Generator;

/// <summary>How to read the header and what to call things in the generated file.</summary>
public sealed record BindingOptions
{
    /// <summary>The header path as written into the generated file's banner (keep it repo-relative).</summary>
    public required string SourceName { get; init; }

    /// <summary>
    /// Directories with the compiler's own headers (stddef.h, ...), which libclang does not ship.
    /// Empty: ask gcc (<c>gcc -print-file-name=include</c>).
    /// </summary>
    public IReadOnlyList<string> SystemIncludeDirectories { get; init; } = [];

    /// <summary>Only declarations whose names start with this (case-insensitively) are emitted.</summary>
    public string Prefix { get; init; } = "mada_";

    public string Namespace { get; init; } = "Mada.Native";

    public string ClassName { get; init; } = "NativeMethods";

    /// <summary>The name in <c>[LibraryImport]</c>: libmada.so, mada.dll, libmada.dylib.</summary>
    public string LibraryName { get; init; } = "mada";
}
