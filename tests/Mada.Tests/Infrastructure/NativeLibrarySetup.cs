using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Mada.Native;

namespace Mada.Tests.Infrastructure;

internal static class NativeLibrarySetup
{
    /// <summary>
    /// Points the façade at the native build in this checkout, unless the caller chose a library
    /// with MADA_NATIVE_PATH. Loading in place keeps libmada next to the libtorch it was linked with.
    /// </summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "Test assembly: must run before any test touches the library.")]
    internal static void UseNativeBuildOfThisCheckout()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(NativeLibraryLoader.PathVariable)))
        {
            Environment.SetEnvironmentVariable(NativeLibraryLoader.PathVariable, RepoLayout.NativeBuildDirectory);
        }
    }
}
