namespace Mada.Bindings.Generator;

/// <summary>
/// The generated files committed in this repository and how each is made: the one list that
/// <c>--all</c> regenerates (or checks) and the tests compare with a fresh generation.
/// Paths are relative to the repository root, with '/' separators.
/// </summary>
public static class CommittedBindings
{
    public static IReadOnlyList<BindingTarget> All { get; } =
    [
        // libmada_kernels: the step on caller-owned memory, the shared types, errors and options.
        new("native/kernels/include/mada/mada_kernels.h", "bindings/Mada.Kernels.g.cs", "KernelMethods", "mada_kernels", []),
        // libmada: tensors, the libtorch optimizer, models, data, the trainer. Uses mada_kernels.h's types by name.
        new("native/include/mada/mada.h", "bindings/Mada.Native.g.cs", "NativeMethods", "mada", ["native/kernels/include"]),
    ];
}

/// <summary>One generated file: from <see cref="Header"/>, class <see cref="ClassName"/> importing from <see cref="LibraryName"/>.</summary>
public sealed record BindingTarget(
    string Header, string Output, string ClassName, string LibraryName, IReadOnlyList<string> IncludeDirectories)
{
    /// <summary>The generator's options for this file, with the include directories under <paramref name="repositoryRoot"/>.</summary>
    public BindingOptions Options(string repositoryRoot) => new()
    {
        SourceName = Header,
        ClassName = ClassName,
        LibraryName = LibraryName,
        IncludeDirectories = IncludeDirectories.Select(directory => Path.Combine(repositoryRoot, directory)).ToList(),
    };

    /// <summary>The same as a command line, run from the repository root.</summary>
    public string CommandLine =>
        $"dotnet run --project bindings/Mada.Bindings.Generator -- {Header} {Output}" +
        string.Concat(IncludeDirectories.Select(directory => $" --include {directory}")) +
        $" --class {ClassName} --library {LibraryName}";
}
