using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Mada.Bindings.Generator;
using Mada.Native;
using Mada.Tests.Infrastructure;

namespace Mada.Tests.Bindings;

/// <summary>The generated declarations agree with the library binaries and with the C layout.</summary>
public sealed class AbiStructureTests
{
    public static TheoryData<string> ImportClasses() => new(nameof(KernelMethods), nameof(NativeMethods));

    /// <summary>Each import class binds to its own library, and every import of it is exported there.</summary>
    [Theory]
    [MemberData(nameof(ImportClasses))]
    public void EveryImportIsExportedByItsOwnLibrary(string className)
    {
        var (type, loader, atLeast) = className switch
        {
            nameof(KernelMethods) => (typeof(KernelMethods), NativeLibraryLoader.Kernels, 20),
            _ => (typeof(NativeMethods), NativeLibraryLoader.Mada, 25),
        };
        var imports = type
            .GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
            .Select(method => (method, attribute: method.GetCustomAttribute<LibraryImportAttribute>()))
            .Where(pair => pair.attribute is not null)
            .ToList();

        Assert.True(imports.Count >= atLeast, $"Only {imports.Count} imports in {className}; did the generated file change shape?");
        Assert.All(imports, pair => Assert.Equal(loader.Name, pair.attribute!.LibraryName));
        var missing = imports
            .Select(pair => pair.attribute!.EntryPoint ?? pair.method.Name)
            .Where(name => !NativeLibrary.TryGetExport(loader.Handle, name, out _))
            .ToList();
        Assert.True(missing.Count == 0, $"Imported by {className} but not exported by {loader.FileName}: {string.Join(", ", missing)}");

        // dlsym on libmada also finds what its dependency libmada_kernels exports: make sure
        // libmada's imports are libmada's own, not declared in mada.h but living in the kernels.
        if (loader == NativeLibraryLoader.Mada)
        {
            var inKernels = imports
                .Select(pair => pair.attribute!.EntryPoint ?? pair.method.Name)
                .Where(name => NativeLibrary.TryGetExport(NativeLibraryLoader.Kernels.Handle, name, out _))
                .ToList();
            Assert.True(inKernels.Count == 0, $"Imported from libmada but exported by libmada_kernels: {string.Join(", ", inKernels)}");
        }
    }

    /// <summary>No function is imported twice, i.e. from both libraries (the shared ones moved to the kernels).</summary>
    [Fact]
    public void NoFunctionIsImportedFromBothLibraries()
    {
        static IEnumerable<string> Names(Type type) => type
            .GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
            .Where(method => method.GetCustomAttribute<LibraryImportAttribute>() is not null)
            .Select(method => method.Name);

        Assert.Empty(Names(typeof(KernelMethods)).Intersect(Names(typeof(NativeMethods))));
        Assert.Contains("mada_last_error", Names(typeof(KernelMethods)));
    }

    [Fact]
    public void LibrariesReportTheAbiVersionsOfTheHeaders()
    {
        Assert.Equal((uint)NativeMethods.MADA_ABI_VERSION, NativeMethods.mada_abi_version());
        Assert.Equal((uint)KernelMethods.MADA_KERNELS_ABI_VERSION, KernelMethods.mada_kernels_abi_version());
    }

    /// <summary>
    /// mada_options by hand, x86-64 System V and Windows alike: doubles at 8-byte alignment,
    /// mada_coefficients = 6 doubles = 48 bytes, uint32_t learn at 112 then 4 bytes of
    /// padding before the next double-aligned member, two 4-byte enums at the end.
    /// </summary>
    [Fact]
    public void OptionsLayoutMatchesTheCLayout()
    {
        Assert.Equal(48, Marshal.SizeOf<mada_coefficients>());
        Assert.Equal(272, Marshal.SizeOf<mada_options>());
        Assert.Equal(272, Unsafe.SizeOf<mada_options>());
        (string Field, int Offset)[] expected =
        [
            ("lr", 0), ("weight_decay", 8), ("q0", 16), ("hyper_lr", 64), ("learn", 112), ("lower", 120),
            ("upper", 168), ("eps", 216), ("lion_beta1", 224), ("lion_beta2", 232), ("hypergrad_clip", 240),
            ("grad_clip", 248), ("mode", 256), ("non_finite", 260), ("compact_state", 264),
        ];
        foreach (var (field, offset) in expected)
        {
            Assert.True(offset == (int)Marshal.OffsetOf<mada_options>(field), $"mada_options.{field}: offset {Marshal.OffsetOf<mada_options>(field)}, expected {offset}");
        }
        Assert.Equal(4, Unsafe.SizeOf<mada_status>());
        Assert.Equal(4, Unsafe.SizeOf<mada_mode>());
        Assert.Equal(4, Unsafe.SizeOf<mada_dtype>());
    }

    public static TheoryData<string> Headers() => new(CommittedBindings.All.Select(target => target.Header));

    /// <summary>For every struct of each header: the CLR's layout of the generated struct equals clang's layout of the C one.</summary>
    [Theory]
    [MemberData(nameof(Headers))]
    public void EveryStructLayoutMatchesClang(string headerPath)
    {
        var target = CommittedBindings.All.Single(t => t.Header == headerPath);
        var header = BindingGenerator.Read(RepoLayout.PathOf(target.Header), target.Options(RepoLayout.Root));
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
