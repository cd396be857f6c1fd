namespace Mada.Native;

// The generated part (bindings/Mada.Kernels.g.cs) holds libmada_kernels' imports. This part
// makes sure the resolver that finds the libraries is in place before the first of them binds.
internal static partial class KernelMethods
{
    static KernelMethods() => NativeLibraryLoader.Register();
}
