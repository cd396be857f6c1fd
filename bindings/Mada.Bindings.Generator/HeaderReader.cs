using System.Globalization;
using System.Text.RegularExpressions;
using Mada.Bindings.Generator.Clang;

namespace Mada.Bindings.Generator;

/// <summary>
/// Walks a parsed header and collects the library's declarations: those spelled in the header
/// itself (not in what it includes) whose names start with the prefix. Typedefs are not
/// emitted on their own: a typedef of an enum or struct maps to the tag's name, and a typedef
/// of an opaque struct is only ever used as a pointer, a handle (see <see cref="TypeMapper"/>).
/// </summary>
internal sealed partial class HeaderReader
{
    private readonly TranslationUnit unit;
    private readonly string prefix;
    private readonly TypeMapper types;

    private readonly List<NativeConstant> constants = [];
    private readonly List<NativeEnum> enums = [];
    private readonly List<NativeStruct> structs = [];
    private readonly List<NativeFunction> functions = [];
    private readonly HashSet<string> seen = new(StringComparer.Ordinal);

    private HeaderReader(TranslationUnit unit, string prefix)
    {
        this.unit = unit;
        this.prefix = prefix;
        types = new TypeMapper(prefix);
    }

    public static NativeHeader Read(TranslationUnit unit, string prefix)
    {
        var reader = new HeaderReader(unit, prefix);
        reader.ReadTopLevel();
        return new NativeHeader(reader.constants, reader.enums, reader.structs, reader.functions);
    }

    private void ReadTopLevel()
    {
        foreach (var cursor in unit.Cursor.Children())
        {
            if (!cursor.IsFromMainFile())
            {
                continue;
            }
            string name = cursor.Spelling();
            if (!name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            switch (cursor.Kind())
            {
                case CXCursorKind.MacroDefinition:
                    ReadConstant(cursor, name);
                    break;
                case CXCursorKind.EnumDecl when IsDefinition(cursor) && seen.Add(name):
                    enums.Add(ReadEnum(cursor, name));
                    break;
                case CXCursorKind.StructDecl when IsDefinition(cursor) && seen.Add(name):
                    structs.Add(ReadStruct(cursor, name));
                    break;
                case CXCursorKind.FunctionDecl when seen.Add(name):
                    functions.Add(ReadFunction(cursor, name));
                    break;
                case CXCursorKind.UnionDecl or CXCursorKind.VarDecl:
                    throw new GeneratorException(
                        $"{cursor.Position()}: {name}: unions and global variables are not supported at the ABI.");
            }
        }
    }

    private static bool IsDefinition(CXCursor cursor) => LibClang.clang_isCursorDefinition(cursor) != 0;

    /// <summary>Object-like macros whose whole body is one integer literal become constants; other macros are skipped.</summary>
    private unsafe void ReadConstant(CXCursor cursor, string name)
    {
        if (LibClang.clang_Cursor_isMacroFunctionLike(cursor) != 0)
        {
            return;
        }

        CXToken* tokens;
        uint count;
        LibClang.clang_tokenize(unit.Handle, LibClang.clang_getCursorExtent(cursor), &tokens, &count);
        try
        {
            // Tokens: the macro's name, then its body.
            if (count != 2 || LibClang.clang_getTokenKind(tokens[1]) != CXTokenKind.Literal)
            {
                return;
            }
            string literal = LibClang.clang_getTokenSpelling(unit.Handle, tokens[1]).Consume();
            if (TryParseInteger(literal, out string csharpType, out string value))
            {
                constants.Add(new NativeConstant(name, csharpType, value, $"#define {name} {literal}"));
            }
        }
        finally
        {
            LibClang.clang_disposeTokens(unit.Handle, tokens, count);
        }
    }

    /// <summary>Parses a C integer literal (decimal, hex or octal, optional u/l suffixes) with C's typing rules, simplified to int/uint/long/ulong.</summary>
    private static bool TryParseInteger(string literal, out string csharpType, out string value)
    {
        csharpType = value = string.Empty;
        var match = IntegerLiteral().Match(literal);
        if (!match.Success)
        {
            return false;
        }
        string digits = match.Groups["digits"].Value;
        string suffix = match.Groups["suffix"].Value.ToLowerInvariant();
        ulong number;
        bool parsed = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(digits.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out number)
            : digits.Length > 1 && digits[0] == '0'
                ? TryParseOctal(digits, out number)
                : ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out number);
        if (!parsed)
        {
            return false;
        }

        bool unsigned = suffix.Contains('u');
        bool wide = suffix.Contains('l');
        csharpType = (unsigned, wide) switch
        {
            (false, false) when number <= int.MaxValue => "int",
            (true, false) when number <= uint.MaxValue => "uint",
            (false, _) when number <= long.MaxValue => "long",
            _ => "ulong",
        };
        value = number.ToString(CultureInfo.InvariantCulture);
        return true;
    }

    private static bool TryParseOctal(string digits, out ulong number)
    {
        number = 0;
        foreach (char digit in digits)
        {
            if (digit is < '0' or > '7' || number > ulong.MaxValue / 8)
            {
                return false;
            }
            number = number * 8 + (ulong)(digit - '0');
        }
        return true;
    }

    [GeneratedRegex("^(?<digits>0[xX][0-9a-fA-F]+|[0-9]+)(?<suffix>[uUlL]*)$")]
    private static partial Regex IntegerLiteral();

    private NativeEnum ReadEnum(CXCursor cursor, string name)
    {
        var integerType = LibClang.clang_getEnumDeclIntegerType(cursor);
        string underlying = types.ToCSharp(integerType, name);
        bool unsigned = underlying is "uint" or "ulong" or "ushort" or "byte";
        var members = new List<NativeEnumMember>();
        foreach (var member in cursor.Children())
        {
            if (member.Kind() != CXCursorKind.EnumConstantDecl)
            {
                continue;
            }
            string value = unsigned
                ? LibClang.clang_getEnumConstantDeclUnsignedValue(member).ToString(CultureInfo.InvariantCulture)
                : LibClang.clang_getEnumConstantDeclValue(member).ToString(CultureInfo.InvariantCulture);
            members.Add(new NativeEnumMember(member.Spelling(), value));
        }
        return new NativeEnum(name, underlying, members);
    }

    private NativeStruct ReadStruct(CXCursor cursor, string name)
    {
        var type = LibClang.clang_getCursorType(cursor);
        var fields = new List<NativeField>();
        foreach (var field in cursor.Children())
        {
            if (field.Kind() != CXCursorKind.FieldDecl)
            {
                continue;
            }
            string fieldName = field.Spelling();
            string where = $"{field.Position()}: {name}.{fieldName}";
            if (LibClang.clang_Cursor_isBitField(field) != 0)
            {
                throw new GeneratorException($"{where}: bit-fields have no portable layout.");
            }
            var fieldType = LibClang.clang_getCursorType(field);
            long offsetBits = LibClang.clang_Cursor_getOffsetOfField(field);
            fields.Add(new NativeField(
                fieldName, types.ToCSharp(fieldType, where), CTypes.Format(fieldType.Spelling()), offsetBits / 8));
        }
        return new NativeStruct(
            name, LibClang.clang_Type_getSizeOf(type), LibClang.clang_Type_getAlignOf(type), fields);
    }

    private NativeFunction ReadFunction(CXCursor cursor, string name)
    {
        string where = $"{cursor.Position()}: {name}";
        if (LibClang.clang_isFunctionTypeVariadic(LibClang.clang_getCursorType(cursor)) != 0)
        {
            throw new GeneratorException($"{where}: variadic functions cannot be called through [LibraryImport].");
        }

        var resultType = LibClang.clang_getCursorResultType(cursor);
        // Called from a SafeHandle's ReleaseHandle, when the handle can no longer be marshalled.
        bool destroysItsHandle = name.EndsWith("_destroy", StringComparison.Ordinal);
        int count = LibClang.clang_Cursor_getNumArguments(cursor);
        var parameters = new List<NativeParameter>(count);
        var cParameters = new List<string>(count);
        for (uint i = 0; i < count; i++)
        {
            var argument = LibClang.clang_Cursor_getArgument(cursor, i);
            string argumentName = argument.Spelling();
            if (argumentName.Length == 0)
            {
                argumentName = $"arg{i}";
            }
            var argumentType = LibClang.clang_getCursorType(argument);
            parameters.Add(new NativeParameter(argumentName, types.Parameter(argumentType, $"{where}({argumentName})", handleAsPointer: destroysItsHandle)));
            cParameters.Add(CTypes.Declaration(argumentType.Spelling(), argumentName));
        }

        string cParameterList = count == 0 ? "void" : string.Join(", ", cParameters);
        string signature = $"{CTypes.Declaration(resultType.Spelling(), name)}({cParameterList});";
        return new NativeFunction(name, types.ToCSharp(resultType, where), parameters, signature);
    }
}
