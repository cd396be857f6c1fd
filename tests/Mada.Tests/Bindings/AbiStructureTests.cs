using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Mada.Bindings.Generator;
using Mada.Native;
using Mada.Tests.Infrastructure;

namespace Mada.Tests.Bindings;

/// <summary>The generated declarations agree with the library binary and with the C layout.</summary>
public sealed class AbiStructureTests
{
    [Fact]
    public void EveryImportedFunctionIsExportedByTheLibrary()
    {
        var imports = typeof(NativeMethods)
            .GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
            .Select(method => (method, attribute: method.GetCustomAttribute<LibraryImportAttribute>()))
            .Where(pair => pair.attribute is not null)
            .Select(pair => pair.attribute!.EntryPoint ?? pair.method.Name)
            .ToList();

        var missing = imports.Where(name => !NativeLibrary.TryGetExport(NativeLibraryLoader.Handle, name, out _)).ToList();

        Assert.True(imports.Count >= 25, $"Only {imports.Count} imports found; did the generated file change shape?");
        Assert.True(missing.Count == 0, $"Declared in mada.h but not exported by {NativeLibraryLoader.FileName}: {string.Join(", ", missing)}");
    }

    [Fact]
    public void LibraryReportsTheAbiVersionOfTheHeader()
    {
        Assert.Equal((uint)NativeMethods.MADA_ABI_VERSION, NativeMethods.mada_abi_version());
    }

    /// <summary>
    /// mada_options by hand, x86-64 System V and Windows alike: doubles at 8-byte alignment,
    /// mada_coefficients = 6 doubles = 48 bytes, uint32_t learn_mask at 112 then 4 bytes of
    /// padding before the next double-aligned member, two 4-byte enums at the end.
    /// </summary>
    [Fact]
    public void OptionsLayoutMatchesTheCLayout()
    {
        Assert.Equal(48, Marshal.SizeOf<mada_coefficients>());
        Assert.Equal(264, Marshal.SizeOf<mada_options>());
        Assert.Equal(264, Unsafe.SizeOf<mada_options>());
        (string Field, int Offset)[] expected =
        [
            ("lr", 0), ("weight_decay", 8), ("q0", 16), ("hyper_lr", 64), ("learn_mask", 112), ("lower", 120),
            ("upper", 168), ("eps", 216), ("lion_beta1", 224), ("lion_beta2", 232), ("hypergrad_clip", 240),
            ("grad_clip", 248), ("mode", 256), ("non_finite", 260),
        ];
        foreach (var (field, offset) in expected)
        {
            Assert.True(offset == (int)Marshal.OffsetOf<mada_options>(field), $"mada_options.{field}: offset {Marshal.OffsetOf<mada_options>(field)}, expected {offset}");
        }
        Assert.Equal(4, Unsafe.SizeOf<mada_status>());
        Assert.Equal(4, Unsafe.SizeOf<mada_mode>());
    }

    /// <summary>For every struct of the header: the CLR's layout of the generated struct equals clang's layout of the C one.</summary>
    [Fact]
    public void EveryStructLayoutMatchesClang()
    {
        var header = BindingGenerator.Read(RepoLayout.Header, new BindingOptions { SourceName = RepoLayout.HeaderSourceName });
        Assert.NotEmpty(header.Structs);
        foreach (var nativeStruct in header.Structs)
        {
            var type = typeof(NativeMethods).Assembly.GetType($"Mada.Native.{nativeStruct.Name}")
                ?? throw new Xunit.Sdk.XunitException($"No generated struct {nativeStruct.Name}.");
            Assert.True(nativeStruct.Size == Marshal.SizeOf(type), $"{nativeStruct.Name}: CLR size {Marshal.SizeOf(type)}, C size {nativeStruct.Size}");
            foreach (var field in nativeStruct.Fields)
            {
                long offset = Marshal.OffsetOf(type, field.Name);
                Assert.True(field.Offset == offset, $"{nativeStruct.Name}.{field.Name}: CLR offset {offset}, C offset {field.Offset}");
            }
        }
    }
}
