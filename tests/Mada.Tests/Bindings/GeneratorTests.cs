using Mada.Bindings.Generator;
using Mada.Tests.Infrastructure;

namespace Mada.Tests.Bindings;

/// <summary>The generator on small headers written here: what it keeps, how it maps types, how it fails.</summary>
public sealed class GeneratorTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mada-generator-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void KeepsOnlyPrefixedDeclarationsSpelledInTheHeaderItself()
    {
        File.WriteAllText(Path.Combine(directory, "included.h"), "int mada_from_included_header(void);\n");
        var header = Read("""
            #include "included.h"
            int other_function(void);
            int mada_kept(void);
            enum other_enum { OTHER_A };
            """);

        Assert.Equal(["mada_kept"], header.Functions.Select(f => f.Name));
        Assert.Empty(header.Enums);
    }

    /// <summary>As mada.h with mada_kernels.h: the included header is found through IncludeDirectories, its types are used by name, not emitted.</summary>
    [Fact]
    public void UsesTypesOfAnIncludedHeaderFoundThroughIncludeDirectories()
    {
        string include = Path.Combine(directory, "include");
        Directory.CreateDirectory(Path.Combine(include, "lib"));
        File.WriteAllText(Path.Combine(include, "lib", "base.h"), """
            typedef enum mada_base_status { MADA_BASE_OK = 0 } mada_base_status;
            typedef struct mada_base_pair { double a; double b; } mada_base_pair;
            mada_base_status mada_base_function(void);
            """);
        string header = WriteHeader("""
            #include <lib/base.h>
            mada_base_status mada_derived(const mada_base_pair* pair);
            """);

        Assert.Throws<GeneratorException>(() => BindingGenerator.Read(header, Options()));
        var read = BindingGenerator.Read(header, Options() with { IncludeDirectories = [include] });

        var function = Assert.Single(read.Functions);
        Assert.Equal(("mada_derived", "mada_base_status"), (function.Name, function.ReturnType));
        Assert.Equal(["mada_base_pair*"], function.Parameters.Select(p => p.CSharpType));
        Assert.Empty(read.Enums);
        Assert.Empty(read.Structs);
    }

    [Fact]
    public void ClassAndLibraryNamesComeFromTheOptions()
    {
        string text = BindingGenerator.Generate(
            WriteHeader("int mada_k(void);\n"), Options() with { ClassName = "KernelMethods", LibraryName = "mada_kernels" });

        Assert.Contains("internal static unsafe partial class KernelMethods", text, StringComparison.Ordinal);
        Assert.Contains("public const string LibraryName = \"mada_kernels\";", text, StringComparison.Ordinal);
    }

    [Fact]
    public void MapsCTypesToCSharpTypes()
    {
        var header = Read("""
            #include <stddef.h>
            #include <stdint.h>
            typedef struct mada_pair { int32_t first; double second; } mada_pair;
            int64_t mada_f(const char* path, char* buffer, size_t count, uint8_t* bytes, const float* values,
                           mada_pair* pair, uint32_t flags);
            """);

        var function = Assert.Single(header.Functions);
        Assert.Equal("long", function.ReturnType);
        Assert.Equal(
            ["string", "byte*", "nuint", "byte*", "float*", "mada_pair*", "uint"],
            function.Parameters.Select(p => p.CSharpType));
        Assert.Equal(
            "int64_t mada_f(const char* path, char* buffer, size_t count, uint8_t* bytes, const float* values, " +
            "mada_pair* pair, uint32_t flags);",
            function.CSignature);
    }

    /// <summary>
    /// Each opaque handle type has its own SafeHandle (mada_noun: NounHandle), so passing another
    /// handle does not compile; created handles come back as out parameters, arrays of handles are
    /// typed pointers, and a destroy function takes the raw pointer its ReleaseHandle has.
    /// </summary>
    [Fact]
    public void OpaqueHandlesAreTypedByTheirName()
    {
        string text = Generate("""
            #include <stddef.h>
            typedef struct mada_thing mada_thing;
            typedef struct mada_param_group mada_param_group;
            int mada_thing_create(const char* name, mada_thing** out);
            void mada_thing_destroy(mada_thing* thing);
            int mada_thing_read(const mada_thing* thing, mada_param_group* group);
            int mada_thing_merge(mada_thing* thing, mada_thing* const* others, size_t count);
            """);

        Assert.Contains(
            "[LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]\n" +
            "    internal static partial int mada_thing_create(string name, out ThingHandle @out);",
            text, StringComparison.Ordinal);
        Assert.Contains("internal static partial void mada_thing_destroy(nint thing);", text, StringComparison.Ordinal);
        Assert.Contains(
            "internal static partial int mada_thing_read(ThingHandle thing, ParamGroupHandle group);", text, StringComparison.Ordinal);
        Assert.Contains(
            "internal static partial int mada_thing_merge(ThingHandle thing, ThingPointer* others, nuint count);", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n'), line => line.Contains("StringMarshalling", StringComparison.Ordinal));
    }

    /// <summary>The committed bindings use the typed handles: the optimizer's calls take OptimizerHandle, its creation fills one.</summary>
    [Fact]
    public void TheCommittedBindingsTakeTypedHandles()
    {
        string text = File.ReadAllText(RepoLayout.PathOf("bindings/Mada.Native.g.cs"));

        Assert.Contains(
            "mada_optimizer_create(mada_options* options, out OptimizerHandle @out);", text, StringComparison.Ordinal);
        Assert.Contains(
            "mada_optimizer_step(OptimizerHandle optimizer, TensorPointer* grads, nuint count);", text, StringComparison.Ordinal);
        Assert.Contains("mada_optimizer_save(OptimizerHandle optimizer, string path);", text, StringComparison.Ordinal);
        Assert.DoesNotContain("nint optimizer,", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadsStructLayoutEnumValuesAndIntegerDefines()
    {
        var header = Read("""
            #include <stdint.h>
            #define MADA_ANSWER 42
            #define MADA_MASK 0x10u
            #define MADA_NOT_A_NUMBER __attribute__((unused))
            typedef enum mada_color { MADA_RED = 1, MADA_GREEN = 4 } mada_color;
            typedef struct mada_mixed { uint8_t small; double wide; mada_color color; } mada_mixed;
            """);

        Assert.Equal(
            [new NativeConstant("MADA_ANSWER", "int", "42", "#define MADA_ANSWER 42"),
             new NativeConstant("MADA_MASK", "uint", "16", "#define MADA_MASK 0x10u")],
            header.Constants);
        var color = Assert.Single(header.Enums);
        Assert.Equal([("MADA_RED", "1"), ("MADA_GREEN", "4")], color.Members.Select(m => (m.Name, m.Value)));
        var mixed = Assert.Single(header.Structs);
        Assert.Equal(24, mixed.Size);
        Assert.Equal([("small", 0L), ("wide", 8L), ("color", 16L)], mixed.Fields.Select(f => (f.Name, f.Offset)));
    }

    [Fact]
    public void EscapesParametersNamedLikeCSharpKeywords()
    {
        string text = Generate("void mada_g(int params, int out);\n");

        Assert.Contains("internal static partial void mada_g(int @params, int @out);", text, StringComparison.Ordinal);
        Assert.Contains("// void mada_g(int params, int out);", text, StringComparison.Ordinal);
    }

    [Fact]
    public void IsDeterministic()
    {
        const string Source = "typedef enum mada_e { MADA_E0 } mada_e;\nmada_e mada_h(double x);\n";
        Assert.Equal(Generate(Source), Generate(Source));
    }

    [Fact]
    public void ErrorDiagnosticsFailWithClangsMessage()
    {
        var error = Assert.Throws<GeneratorException>(() => Read("int mada_broken(;\n"));

        Assert.Contains("error", error.Message, StringComparison.Ordinal);
        Assert.Contains("test.h:1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingHeaderNamesThePath()
    {
        var error = Assert.Throws<GeneratorException>(
            () => BindingGenerator.Read(Path.Combine(directory, "absent.h"), Options()));

        Assert.Contains("absent.h", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("long mada_f(void);", "'long'")]
    [InlineData("int mada_f(int count, ...);", "variadic")]
    [InlineData("typedef struct mada_s { int bits : 3; } mada_s;", "bit-field")]
    [InlineData("typedef struct mada_s { int values[4]; } mada_s;", "int[4]")]
    [InlineData("typedef struct mada_opaque mada_opaque; void mada_f(mada_opaque value);", "opaque")]
    [InlineData("typedef struct mada_opaque mada_opaque; mada_opaque* mada_f(void);", "only as a function parameter")]
    [InlineData("typedef struct mada_opaque mada_opaque; typedef struct mada_s { mada_opaque* o; } mada_s;", "only as a function parameter")]
    [InlineData("typedef struct other_opaque other_opaque; void mada_f(other_opaque* o);", "'mada_<noun>'")]
    public void RefusesWhatHasNoExactCSharpTwin(string source, string expectedInMessage)
    {
        var error = Assert.Throws<GeneratorException>(() => Read(source));

        Assert.Contains(expectedInMessage, error.Message, StringComparison.Ordinal);
    }

    private NativeHeader Read(string source) => BindingGenerator.Read(WriteHeader(source), Options());

    private string Generate(string source) => BindingGenerator.Generate(WriteHeader(source), Options());

    private string WriteHeader(string source)
    {
        string path = Path.Combine(directory, "test.h");
        File.WriteAllText(path, source);
        return path;
    }

    private static BindingOptions Options() => new() { SourceName = "test.h" };
}
