using System.Runtime.InteropServices;

namespace Mada.Bindings.Generator.Clang;

/// <summary>Managed conveniences over the raw libclang calls: strings, children, locations.</summary>
internal static unsafe class ClangExtensions
{
    /// <summary>Copies a CXString into a managed string and disposes it.</summary>
    public static string Consume(this CXString text)
    {
        try
        {
            return Marshal.PtrToStringUTF8((nint)LibClang.clang_getCString(text)) ?? string.Empty;
        }
        finally
        {
            LibClang.clang_disposeString(text);
        }
    }

    public static string Spelling(this CXCursor cursor) => LibClang.clang_getCursorSpelling(cursor).Consume();

    public static string Spelling(this CXType type) => LibClang.clang_getTypeSpelling(type).Consume();

    public static CXCursorKind Kind(this CXCursor cursor) => LibClang.clang_getCursorKind(cursor);

    public static bool IsFromMainFile(this CXCursor cursor) =>
        LibClang.clang_Location_isFromMainFile(LibClang.clang_getCursorLocation(cursor)) != 0;

    /// <summary>"line:column" of the cursor, for error messages.</summary>
    public static string Position(this CXCursor cursor)
    {
        uint line, column;
        LibClang.clang_getFileLocation(LibClang.clang_getCursorLocation(cursor), null, &line, &column, null);
        return $"{line}:{column}";
    }

    /// <summary>The direct children of a cursor, in source order.</summary>
    public static List<CXCursor> Children(this CXCursor parent)
    {
        var children = new List<CXCursor>();
        var handle = GCHandle.Alloc(children);
        try
        {
            LibClang.clang_visitChildren(parent, &CollectChild, GCHandle.ToIntPtr(handle));
        }
        finally
        {
            handle.Free();
        }
        return children;
    }

    [UnmanagedCallersOnly]
    private static CXChildVisitResult CollectChild(CXCursor cursor, CXCursor parent, nint clientData)
    {
        ((List<CXCursor>)GCHandle.FromIntPtr(clientData).Target!).Add(cursor);
        return CXChildVisitResult.Continue;
    }

    /// <summary>Strips the "elaborated" wrapper clang puts around named types (struct x, typedef names).</summary>
    public static CXType Unelaborated(this CXType type) =>
        type.Kind == CXTypeKind.Elaborated ? LibClang.clang_Type_getNamedType(type) : type;
}
