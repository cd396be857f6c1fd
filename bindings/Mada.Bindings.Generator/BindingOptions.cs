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

    /// <summary>
    /// Directories searched for the header's own includes (<c>-I</c>), in addition to the system ones:
    /// mada.h includes <c>&lt;mada/mada_kernels.h&gt;</c>. Declarations from included files are not
    /// emitted, but their types can be used by name.
    /// </summary>
    public IReadOnlyList<string> IncludeDirectories { get; init; } = [];

    /// <summary>Only declarations whose names start with this (case-insensitively) are emitted.</summary>
    public string Prefix { get; init; } = "mada_";

    public string Namespace { get; init; } = "Mada.Native";

    /// <summary>The static class that holds the imports and constants.</summary>
    public string ClassName { get; init; } = "NativeMethods";

    /// <summary>The name in <c>[LibraryImport]</c>: "mada" for libmada.so, mada.dll, libmada.dylib.</summary>
    public string LibraryName { get; init; } = "mada";
}
