using TorchSharp;
using TorchSharp.Modules;

namespace Mada.TorchSharp.Tests;

/// <summary>The adapter lives beside TorchSharp's libtorch and never brings in libmada's (Debian's 1.13).</summary>
public sealed class ProcessTests
{
    [Fact]
    public void OnlyTorchSharpsLibtorchAndTheKernelCoreAreMapped()
    {
        using var w = new Parameter(torch.ones(4), requires_grad: true);
        using var optimizer = MadaTorch.Mada([w]);
        w.grad = torch.ones(4);
        optimizer.step();

        var libraries = File.ReadAllLines("/proc/self/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6)
            .Select(fields => fields[5])
            .Distinct()
            .ToList();
        Assert.Contains(libraries, l => Path.GetFileName(l) == "libmada_kernels.so");
        Assert.Contains(libraries, l => Path.GetFileName(l) == "libtorch_cpu.so");  // TorchSharp's (unversioned name)
        Assert.DoesNotContain(libraries, l => Path.GetFileName(l) == "libmada.so");
        Assert.DoesNotContain(libraries, l => Path.GetFileName(l).StartsWith("libtorch_cpu.so.", StringComparison.Ordinal));  // Debian's libtorch_cpu.so.1.13
    }
}
