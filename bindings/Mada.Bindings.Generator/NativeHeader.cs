namespace Mada.Bindings.Generator;

// What the generator reads out of the C header, already mapped to C# types, in header order.

/// <summary>The declarations of one C header that belong to the library (names with the prefix).</summary>
public sealed record NativeHeader(
    IReadOnlyList<NativeConstant> Constants,
    IReadOnlyList<NativeEnum> Enums,
    IReadOnlyList<NativeStruct> Structs,
    IReadOnlyList<NativeFunction> Functions);

/// <summary>An object-like <c>#define NAME integer</c>.</summary>
public sealed record NativeConstant(string Name, string CSharpType, string Value, string CDefinition);

public sealed record NativeEnum(string Name, string UnderlyingType, IReadOnlyList<NativeEnumMember> Members);

public sealed record NativeEnumMember(string Name, string Value);

/// <summary>A struct with its C layout as clang computes it for the host target.</summary>
public sealed record NativeStruct(string Name, long Size, long Alignment, IReadOnlyList<NativeField> Fields);

public sealed record NativeField(string Name, string CSharpType, string CType, long Offset);

/// <summary>A function; <see cref="CSignature"/> is its prototype as C spells it.</summary>
public sealed record NativeFunction(
    string Name, string ReturnType, IReadOnlyList<NativeParameter> Parameters, string CSignature);

public sealed record NativeParameter(string Name, string CSharpType);
