using Mada.Bindings.Generator.Clang;

namespace Mada.Bindings.Generator;

/// <summary>
/// Maps C types to blittable C# types, so every import is a plain [LibraryImport] with no
/// marshalling: fixed-width typedefs by name, opaque handles as <c>nint</c>, strings as
/// <c>byte*</c> (UTF-8, converted by the façade). Anything without an exact C# twin is an error.
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
                return IsOpaqueRecord(pointee) ? "nint" : ToCSharp(pointee, usedBy) + "*";
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
