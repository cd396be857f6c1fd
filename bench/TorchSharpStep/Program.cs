// One optimizer step from C# with TorchSharp, on the GPT-2-like parameter lists of bench/native
// (bench/native/parameter_list.h): TorchSharp's own AdamW and Adam, and MADA through
// Mada.TorchSharp, for the comparison in docs/benchmarks.md.
//
//   LD_PRELOAD=$(tools/torchsharp-debian12/apply.sh bench/TorchSharpStep/bin/Release/net10.0) \
//   MADA_NATIVE_PATH=build/native dotnet bench/TorchSharpStep/bin/Release/net10.0/TorchSharpStep.dll \
//     [--out DIR] [--sizes 1000000,10000000] [--threads 1,2] [--optimizers adamw,adam,mada] [--min-time 1.0]
//
// (The LD_PRELOAD is Debian 12's TorchSharp fixture; the build applies the rest of it.) First it
// probes whether TorchSharp's native part loads; if not, it writes the loader's exact message to
// DIR/torchsharp-probe.txt and exits 3. Each optimizer steps (lr 1e-4, weight decay 0, like the
// native benchmarks) after 3 warm-up steps, gradients made once; results go to
// DIR/torchsharp-step.md and .json, with the managed bytes each step allocates.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchSharpStep;

public static class Program
{
    public static int Main(string[] args)
    {
        string outDir = Option(args, "--out") ?? Path.Combine(Environment.CurrentDirectory, "torchsharp-results");
        long[] sizes = Numbers(Option(args, "--sizes") ?? "1000000,10000000");
        int[] threads = Numbers(Option(args, "--threads") ?? "1,2").Select(t => (int)t).ToArray();
        string[] optimizers = (Option(args, "--optimizers") ?? "adamw,adam,mada").Split(',', StringSplitOptions.RemoveEmptyEntries);
        double minTime = double.Parse(Option(args, "--min-time") ?? "1.0", CultureInfo.InvariantCulture);
        Directory.CreateDirectory(outDir);

        string probe = Path.Combine(outDir, "torchsharp-probe.txt");
        string? failure = Probe();
        if (failure is not null)
        {
            File.WriteAllText(probe, failure);
            Console.Error.WriteLine(failure);
            Console.Error.WriteLine($"TorchSharp did not load; the probe's evidence is in {probe}.");
            return 3;
        }
        File.WriteAllText(probe, $"TorchSharp loaded: {torch.__version__}\n");
        Console.WriteLine($"TorchSharp loaded (libtorch {torch.__version__}).");

        var rows = new List<Row>();
        foreach (long n in sizes)
        {
            foreach (int t in threads)
            {
                foreach (string optimizer in optimizers)
                {
                    rows.Add(Run(optimizer, n, t, minTime));
                    Console.WriteLine(rows[^1]);
                }
            }
        }
        Write(outDir, rows);
        return 0;
    }

    /// <summary>Null when TorchSharp's native libraries load; else the whole exception chain.</summary>
    private static string? Probe()
    {
        try
        {
            using var t = torch.ones(2);
            return t.sum().item<float>() == 2f ? null : "TorchSharp loaded but computed 1 + 1 != 2.";
        }
        catch (Exception e)
        {
            var text = new StringBuilder();
            text.AppendLine($"TorchSharp {typeof(torch).Assembly.GetName().Version} failed to load on {System.Runtime.InteropServices.RuntimeInformation.OSDescription}:");
            for (Exception? x = e; x is not null; x = x.InnerException)
            {
                text.AppendLine($"{x.GetType().FullName}: {x.Message}");
            }
            // TorchSharp's message does not carry the loader's reason: load its native part
            // directly, so dlopen's own error (a missing GLIBCXX version, say) is on record.
            text.AppendLine();
            text.AppendLine("Loading libLibTorchSharp.so directly:");
            foreach (string path in Directory.EnumerateFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories))
            {
                try
                {
                    System.Runtime.InteropServices.NativeLibrary.Free(System.Runtime.InteropServices.NativeLibrary.Load(path));
                    text.AppendLine($"{path}: loads");
                }
                catch (Exception x)
                {
                    text.AppendLine($"{path}: {x.GetType().FullName}: {x.Message}");
                }
            }
            return text.ToString();
        }
    }

    private sealed record Row(string Optimizer, long Requested, long Params, int Threads, double MeanMs, double MedianMs, int Steps, double AllocatedBytesPerStep)
    {
        public override string ToString() =>
            $"{Optimizer} {Requested:N0} requested ({Params:N0} params), {Threads} thread(s): mean {MeanMs:F2} ms, median {MedianMs:F2} ms " +
            $"over {Steps} steps, {AllocatedBytesPerStep:F0} managed bytes allocated per step";
    }

    private static torch.optim.Optimizer Create(string name, List<TorchSharp.Modules.Parameter> parameters, int threads) => name switch
    {
        "adamw" => torch.optim.AdamW(parameters, lr: 1e-4, weight_decay: 0.0),
        "adam" => torch.optim.Adam(parameters, lr: 1e-4),
        "mada" => new Mada.TorchSharp.MadaTorchOptimizer(parameters, Mada.MadaOptions.Mada with { Lr = 1e-4 }) { Threads = threads },
        _ => throw new ArgumentException($"unknown optimizer '{name}' (adamw, adam, mada)"),
    };

    private static Row Run(string name, long requested, int threads, double minTime)
    {
        torch.set_num_threads(threads);
        using var scope = torch.NewDisposeScope();
        var shapes = Shapes(requested);
        torch.manual_seed(0);
        var parameters = new List<TorchSharp.Modules.Parameter>();
        foreach (long[] s in shapes)
        {
            var p = new TorchSharp.Modules.Parameter(torch.randn(s) * 0.02);
            p.grad = torch.randn(s) * 1e-2;
            parameters.Add(p);
        }
        using var optimizer = Create(name, parameters, threads);
        for (int i = 0; i < 3; i++)
        {
            optimizer.step();
        }

        var times = new List<double>();
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < minTime || times.Count < 5)
        {
            long start = Stopwatch.GetTimestamp();
            optimizer.step();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        times.Sort();
        return new Row(name, requested, shapes.Sum(s => s.Aggregate(1L, (a, b) => a * b)), threads,
            times.Average(), times[times.Count / 2], times.Count, (double)allocated / times.Count);
    }

    // bench/native/parameter_list.h, shape for shape.
    private static List<long[]> Shapes(long total)
    {
        long w = total <= 2_000_000 ? 128 : total <= 20_000_000 ? 384 : 768;
        var shapes = new List<long[]> { new[] { 8192, w }, new[] { 1024, w } };
        long count = 8192 * w + 1024 * w;
        long[][] block = [[w], [w], [3 * w, w], [3 * w], [w, w], [w], [w], [w], [4 * w, w], [4 * w], [w, 4 * w], [w]];
        while (count < total)
        {
            foreach (long[] s in block)
            {
                shapes.Add(s);
                count += s.Aggregate(1L, (a, b) => a * b);
            }
        }
        return shapes;
    }

    private static void Write(string outDir, List<Row> rows)
    {
        var md = new StringBuilder();
        md.AppendLine("| optimizer | elements (requested) | params | threads | mean ms | median ms | steps | managed B/step |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Optimizer} | {r.Requested:N0} | {r.Params:N0} | {r.Threads} | {r.MeanMs:F2} | {r.MedianMs:F2} | {r.Steps} | {r.AllocatedBytesPerStep:F0} |"));
        }
        File.WriteAllText(Path.Combine(outDir, "torchsharp-step.md"), md.ToString());
        File.WriteAllText(Path.Combine(outDir, "torchsharp-step.json"), JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"Results: {Path.Combine(outDir, "torchsharp-step.md")}");
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static long[] Numbers(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
}
