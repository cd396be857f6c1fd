using System.Runtime.InteropServices;
using System.Text;

namespace Mada.Bindings.Generator.Clang;

/// <summary>A parsed C header: owns the libclang index and translation unit.</summary>
internal sealed unsafe class TranslationUnit : IDisposable
{
    private nint index;
    private nint unit;

    private TranslationUnit(nint index, nint unit)
    {
        this.index = index;
        this.unit = unit;
    }

    public nint Handle => unit;

    public CXCursor Cursor => LibClang.clang_getTranslationUnitCursor(unit);

    /// <summary>
    /// Parses <paramref name="headerPath"/> with the given compiler arguments. Throws
    /// <see cref="GeneratorException"/> when libclang fails or reports an error-level diagnostic,
    /// listing every diagnostic; warnings go to <paramref name="log"/>.
    /// </summary>
    public static TranslationUnit Parse(string headerPath, IReadOnlyList<string> arguments, TextWriter? log)
    {
        // Owns the index from here on, and the translation unit once parsed.
        var parsed = new TranslationUnit(LibClang.clang_createIndex(excludeDeclarationsFromPch: 0, displayDiagnostics: 0), 0);
        try
        {
            parsed.unit = ParseUnit(parsed.index, headerPath, arguments);
            parsed.ThrowOnErrors(headerPath, log);
            return parsed;
        }
        catch
        {
            parsed.Dispose();
            throw;
        }
    }

    private static nint ParseUnit(nint index, string headerPath, IReadOnlyList<string> arguments)
    {
        var handles = new List<GCHandle>();
        try
        {
            byte*[] argv = new byte*[arguments.Count];
            for (int i = 0; i < arguments.Count; i++)
            {
                argv[i] = Pin(Utf8(arguments[i]), handles);
            }
            byte* path = Pin(Utf8(headerPath), handles);
            nint unit;
            fixed (byte** args = argv)
            {
                var error = LibClang.clang_parseTranslationUnit2(
                    index, path, args, argv.Length, null, 0,
                    CXTranslationUnitFlags.DetailedPreprocessingRecord | CXTranslationUnitFlags.SkipFunctionBodies,
                    &unit);
                if (error != CXErrorCode.Success)
                {
                    throw new GeneratorException($"libclang could not parse {headerPath}: {error}.");
                }
            }
            return unit;
        }
        finally
        {
            foreach (var handle in handles)
            {
                handle.Free();
            }
        }
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text + '\0');

    private static byte* Pin(byte[] bytes, List<GCHandle> handles)
    {
        var handle = GCHandle.Alloc(bytes, GCHandleType.Pinned);
        handles.Add(handle);
        return (byte*)handle.AddrOfPinnedObject();
    }

    private void ThrowOnErrors(string headerPath, TextWriter? log)
    {
        var errors = new List<string>();
        uint count = LibClang.clang_getNumDiagnostics(unit);
        uint options = LibClang.clang_defaultDiagnosticDisplayOptions();
        for (uint i = 0; i < count; i++)
        {
            nint diagnostic = LibClang.clang_getDiagnostic(unit, i);
            try
            {
                var severity = LibClang.clang_getDiagnosticSeverity(diagnostic);
                string text = LibClang.clang_formatDiagnostic(diagnostic, options).Consume();
                if (severity >= CXDiagnosticSeverity.Error)
                {
                    errors.Add(text);
                }
                else if (severity == CXDiagnosticSeverity.Warning)
                {
                    log?.WriteLine(text);
                }
            }
            finally
            {
                LibClang.clang_disposeDiagnostic(diagnostic);
            }
        }

        if (errors.Count > 0)
        {
            string hint = errors.Any(e => e.Contains("file not found", StringComparison.Ordinal))
                ? "\nFor a header of the project, pass --include DIR. For a compiler header (stddef.h, ...), which " +
                  "libclang does not ship, pass --isystem DIR, e.g. the output of `gcc -print-file-name=include`."
                : string.Empty;
            throw new GeneratorException(
                $"libclang reported {errors.Count} error(s) in {headerPath}:\n  {string.Join("\n  ", errors)}{hint}");
        }
    }

    public void Dispose()
    {
        if (unit != 0)
        {
            LibClang.clang_disposeTranslationUnit(unit);
            unit = 0;
        }
        if (index != 0)
        {
            LibClang.clang_disposeIndex(index);
            index = 0;
        }
    }
}
