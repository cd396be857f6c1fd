// BenchmarkDotNet benchmarks of the MADA step through the C# façade. Release only:
//
//   dotnet run -c Release --project bench/Mada.Benchmarks -- --filter '*'
//   dotnet run -c Release --project bench/Mada.Benchmarks -- --filter '*Overhead*' --job short
//
// StepOverheadBenchmarks: the façade's cost per call (MadaOptimizer.Step against the raw
// P/Invoke on a one-element problem, and mada_abi_version as the P/Invoke floor).
// StepBenchmarks: the façade step on ~1M and ~10M GPT-2-like parameter lists, 1 and 2 threads.
// libmada is loaded from MADA_NATIVE_PATH, by default <repo>/build/native (./build.sh build).
//
//   dotnet run -c Release --project bench/Mada.Benchmarks -- --allocations [--sizes 1000000,10000000] [--steps 100]
//
// counts the managed bytes MadaOptimizer.Step allocates on its own thread (see AllocationCheck);
// exit code 1 if any.
using BenchmarkDotNet.Running;

namespace Mada.Benchmarks;

public static class Program
{
    public static int Main(string[] args)
    {
        UseNativeBuildOfThisCheckout();
        if (args.Length > 0 && args[0] == "--allocations")
        {
            int i = Array.IndexOf(args, "--sizes");
            long[] sizes = i >= 0 && i + 1 < args.Length
                ? args[i + 1].Split(',').Select(long.Parse).ToArray()
                : [1_000_000, 10_000_000];
            int j = Array.IndexOf(args, "--steps");
            int steps = j >= 0 && j + 1 < args.Length ? int.Parse(args[j + 1]) : 100;
            return AllocationCheck.Run(sizes, threads: [1, 2], steps);
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }

    // Set before anything loads libmada; the benchmark processes BenchmarkDotNet starts inherit it.
    private static void UseNativeBuildOfThisCheckout()
    {
        const string variable = "MADA_NATIVE_PATH";
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)))
        {
            return;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mada.Interop.sln")))
            {
                Environment.SetEnvironmentVariable(variable, Path.Combine(dir.FullName, "build", "native"));
                return;
            }
        }
    }
}
