using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Mada.Tests.Infrastructure;

namespace Mada.Cli.Tests.Infrastructure;

internal static class NativeLibrarySetup
{
    /// <summary>Points the façade at the native build in this checkout, unless the caller chose a library with MADA_NATIVE_PATH.</summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "Test assembly: must run before any test touches the library.")]
    internal static void UseNativeBuildOfThisCheckout()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MADA_NATIVE_PATH")))
        {
            Environment.SetEnvironmentVariable("MADA_NATIVE_PATH", RepoLayout.NativeBuildDirectory);
        }
    }
}
