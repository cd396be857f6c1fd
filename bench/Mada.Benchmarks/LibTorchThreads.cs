using System.Runtime.InteropServices;

namespace Mada.Benchmarks;

/// <summary>
/// at::set_num_threads of the libtorch that libmada is linked with, so the managed step runs on
/// the same thread counts as bench/native (which calls at::set_num_threads(threads)). The C ABI
/// has no thread setting: this looks the C++ symbol up in the already loaded libtorch_cpu.
/// Benchmark-only, Linux (Itanium name mangling).
/// </summary>
internal static unsafe class LibTorchThreads
{
    private const string SetNumThreads = "_ZN2at15set_num_threadsEi"; // at::set_num_threads(int)
    private const string GetNumThreads = "_ZN2at15get_num_threadsEv"; // at::get_num_threads()

    public static void Set(int threads)
    {
        nint library = LibTorch();
        var set = (delegate* unmanaged<int, void>)NativeLibrary.GetExport(library, SetNumThreads);
        var get = (delegate* unmanaged<int>)NativeLibrary.GetExport(library, GetNumThreads);
        set(threads);
        if (get() != threads)
        {
            throw new InvalidOperationException($"at::set_num_threads({threads}) left at::get_num_threads() = {get()}.");
        }
    }

    private static nint LibTorch()
    {
        // Load libmada (and with it its libtorch) first, then open the libtorch_cpu it mapped.
        _ = Mada.Native.NativeMethods.mada_abi_version();
        string? path = File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6)
            .Select(fields => string.Join(' ', fields[5..]))
            .FirstOrDefault(file => Path.GetFileName(file).StartsWith("libtorch_cpu.so", StringComparison.Ordinal));
        if (path is null || !NativeLibrary.TryLoad(path, out nint handle))
        {
            throw new PlatformNotSupportedException(
                $"libtorch_cpu is not mapped in this process ({path ?? "not in /proc/self/maps"}): cannot set the thread count.");
        }
        return handle;
    }
}
