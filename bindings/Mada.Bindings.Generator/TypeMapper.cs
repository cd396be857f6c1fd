using Mada.Bindings.Generator.Clang;

namespace Mada.Bindings.Generator;

/// <summary>
/// Maps C types to C# types: plain data to its exact blittable twin (fixed-width typedefs by
/// name, <c>size_t</c> as <c>nuint</c>); anything without one is an error. Parameters get three
/// more mappings that let <c>[LibraryImport]</c> do the marshalling, so a wrong handle does not
/// compile and no caller converts strings by hand:
/// <list type="bullet">
/// <item><c>mada_noun*</c> (const or not) is the SafeHandle <c>NounHandle</c>, which the call
/// references for its duration; <c>mada_noun**</c> is <c>out NounHandle</c>, which the call
/// creates and fills (every out-handle of the ABI is owned: it names its destroy). A
/// <c>*_destroy</c> function takes its handle as <c>nint</c>: it is called from
/// <see cref="System.Runtime.InteropServices.SafeHandle"/>'s ReleaseHandle, where the handle is
/// already closed and could no longer be marshalled.</item>
/// <item><c>mada_noun* const*</c>, an array of handles, is <c>NounPointer*</c>: LibraryImport
/// cannot marshal an array of SafeHandles, so the elements are a typed struct of one pointer,
/// which the caller fills with handles it keeps referenced.</item>
/// <item><c>const char*</c> is <c>string</c>, marshalled as NUL-terminated UTF-8 (null: NULL);
/// a writable <c>char*</c> stays <c>byte*</c>, a buffer the caller decodes.</item>
/// </list>
/// The handle types are named by convention (<c>mada_&lt;noun&gt;</c> is <c>&lt;Noun&gt;Handle</c>,
/// snake_case to PascalCase) and written by hand next to the generated file, in its namespace.
/// Handles in struct fields or return values have no owner to give them and are refused.
/// </summary>
internal sealed class TypeMapper(string prefix)
{
    private static readonly Dictionary<string, string> FixedWidthTypedefs = new(StringComparer.Ordinal)
    {
        ["int8_t"] = "sbyte",
        ["uint8_t"] = "byte",
        ["int16_t"] = "short",
        ["uint16_t"] = "ushort",
        ["int32_t"] = "int",
        ["uint32_t"] = "uint",
        ["int64_t"] = "long",
        ["uint64_t"] = "ulong",
        ["size_t"] = "nuint",
        ["ptrdiff_t"] = "nint",
        ["intptr_t"] = "nint",
        ["uintptr_t"] = "nuint",
    };

    /// <summary>The C# type of a function parameter.</summary>
    /// <param name="type">The C type.</param>
    /// <param name="usedBy">What declares it, for error messages.</param>
    /// <param name="handleAsPointer">Pass a handle as <c>nint</c> (a destroy function's).</param>
    public string Parameter(CXType type, string usedBy, bool handleAsPointer)
    {
        type = type.Unelaborated();
        if (type.Kind != CXTypeKind.Pointer)
        {
            return ToCSharp(type, usedBy);
        }
        var pointee = LibClang.clang_getPointeeType(type).Unelaborated();
        if (IsOpaqueRecord(pointee))
        {
            return handleAsPointer ? "nint" : HandleName(pointee, usedBy, "Handle");
        }
        if (pointee.Kind == CXTypeKind.Pointer)
        {
            var inner = LibClang.clang_getPointeeType(pointee);
            if (IsOpaqueRecord(inner))
            {
                // mada_noun* const*: an array the callee reads; mada_noun**: a handle it creates.
                return LibClang.clang_isConstQualifiedType(pointee) != 0
                    ? HandleName(inner, usedBy, "Pointer") + "*"
                    : "out " + HandleName(inner, usedBy, "Handle");
            }
        }
        if (IsChar(pointee) && LibClang.clang_isConstQualifiedType(pointee) != 0)
        {
            return "string";
        }
        return ToCSharp(type, usedBy);
    }

    /// <summary>The C# type of a struct field or a return value: plain data only.</summary>
    /// <param name="type">The C type.</param>
    /// <param name="usedBy">What declares it, for error messages.</param>
    public string ToCSharp(CXType type, string usedBy)
    {
        type = type.Unelaborated();
        switch (type.Kind)
        {
            case CXTypeKind.Void: return "void";
            // char only ever appears as UTF-8 text behind a pointer.
            case CXTypeKind.Char_S or CXTypeKind.Char_U or CXTypeKind.UChar: return "byte";
            case CXTypeKind.SChar: return "sbyte";
            case CXTypeKind.Short: return "short";
            case CXTypeKind.UShort: return "ushort";
            case CXTypeKind.Int: return "int";
            case CXTypeKind.UInt: return "uint";
            case CXTypeKind.LongLong: return "long";
            case CXTypeKind.ULongLong: return "ulong";
            case CXTypeKind.Float: return "float";
            case CXTypeKind.Double: return "double";
            case CXTypeKind.Long or CXTypeKind.ULong:
                throw Unsupported(type, usedBy, "'long' is 32 bits on Windows and 64 on Linux; use int64_t or int32_t");
            case CXTypeKind.Typedef:
                return TypedefToCSharp(type, usedBy);
            case CXTypeKind.Enum or CXTypeKind.Record:
                return TagToCSharp(type, usedBy);
            case CXTypeKind.Pointer:
                var pointee = LibClang.clang_getPointeeType(type);
                if (IsOpaqueRecord(pointee))
                {
                    throw Unsupported(type, usedBy, "a handle is mapped only as a function parameter, where its owner is known");
                }
                return ToCSharp(pointee, usedBy) + "*";
            default:
                throw Unsupported(type, usedBy, "no blittable C# equivalent is defined for it");
        }
    }

    private string TypedefToCSharp(CXType type, string usedBy)
    {
        string name = LibClang.clang_getTypedefName(type).Consume();
        if (FixedWidthTypedefs.TryGetValue(name, out var mapped))
        {
            return mapped;
        }
        var declaration = LibClang.clang_getTypeDeclaration(type);
        return ToCSharp(LibClang.clang_getTypedefDeclUnderlyingType(declaration), usedBy);
    }

    private string TagToCSharp(CXType type, string usedBy)
    {
        if (IsOpaqueRecord(type))
        {
            throw Unsupported(type, usedBy, "an opaque struct can only be passed through a pointer");
        }
        string name = LibClang.clang_getTypeDeclaration(type).Spelling();
        if (!name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || name.Contains(' '))
        {
            throw Unsupported(type, usedBy, $"only named structs and enums starting with '{prefix}' are generated");
        }
        return name;
    }

    /// <summary><c>mada_noun</c> to <c>NounSuffix</c> (<c>mada_param_group</c>: <c>ParamGroupHandle</c>).</summary>
    private string HandleName(CXType opaque, string usedBy, string suffix)
    {
        string name = LibClang.clang_getTypeDeclaration(LibClang.clang_getCanonicalType(opaque)).Spelling();
        if (!name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || name.Length == prefix.Length)
        {
            throw Unsupported(opaque, usedBy, $"handle types are named '{prefix}<noun>', which maps to '<Noun>{suffix}'");
        }
        var words = name[prefix.Length..].Split('_', StringSplitOptions.RemoveEmptyEntries);
        return string.Concat(words.Select(word => char.ToUpperInvariant(word[0]) + word[1..])) + suffix;
    }

    private static bool IsChar(CXType type) =>
        LibClang.clang_getCanonicalType(type).Kind is CXTypeKind.Char_S or CXTypeKind.Char_U;

    private static bool IsOpaqueRecord(CXType type)
    {
        var canonical = LibClang.clang_getCanonicalType(type);
        return canonical.Kind == CXTypeKind.Record
            && LibClang.clang_Cursor_isNull(
                LibClang.clang_getCursorDefinition(LibClang.clang_getTypeDeclaration(canonical))) != 0;
    }

    private static GeneratorException Unsupported(CXType type, string usedBy, string why) =>
        new($"{usedBy}: cannot map C type '{type.Spelling()}': {why}.");
}
