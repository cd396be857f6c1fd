using System.Diagnostics;

namespace Mada.Bindings.Generator;

/// <summary>
/// Finds the compiler's own header directory. libclang from NuGet comes without clang's
/// resource headers, so stddef.h and friends must come from an installed compiler.
/// </summary>
public static class SystemIncludes
{
    public static string FromGcc()
    {
        string output;
        try
        {
            var start = new ProcessStartInfo("gcc", "-print-file-name=include")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var gcc = Process.Start(start)
                ?? throw new GeneratorException("Could not start gcc.");
            output = gcc.StandardOutput.ReadToEnd().Trim();
            gcc.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new GeneratorException(
                $"Could not run gcc to find the compiler's include directory ({e.Message}); pass --isystem DIR.");
        }

        // gcc echoes the bare name back when it has no such file.
        if (!Path.IsPathRooted(output) || !Directory.Exists(output))
        {
            throw new GeneratorException(
                $"`gcc -print-file-name=include` gave '{output}', not a directory; pass --isystem DIR.");
        }
        return output;
    }
}
