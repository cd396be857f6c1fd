namespace Mada.Native;

// The generated part (bindings/Mada.Native.g.cs) holds libmada's imports. This part makes sure
// the resolver that finds the libraries is in place before the first of them binds.
internal static partial class NativeMethods
{
    static NativeMethods() => NativeLibraryLoader.Register();
}
