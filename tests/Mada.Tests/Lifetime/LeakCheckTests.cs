using System.Runtime.CompilerServices;
using Mada.Tests.Infrastructure;

namespace Mada.Tests.Lifetime;

/// <summary>
/// The leak check itself: an object left to the finalizer is a leak as much as one still alive,
/// and either is reported with its handle type. (Not a LeakCheckedTest: these tests leak on purpose.)
/// </summary>
public sealed class LeakCheckTests
{
    [Fact]
    public void AnObjectLeftToTheFinalizerIsReportedWithItsType()
    {
        var check = LeakCheck.Start();

        Abandon();

        string? report = check.Finish();
        Assert.NotNull(report);
        Assert.Contains("1 OptimizerHandle finalized, never disposed", report, StringComparison.Ordinal);
        Assert.DoesNotContain("TensorHandle", report, StringComparison.Ordinal);
    }

    [Fact]
    public void AnObjectStillAliveIsReportedWithItsType()
    {
        var check = LeakCheck.Start();
        using var tensor = new Tensor([1f, 2f]);

        string? report = check.Finish();

        Assert.NotNull(report);
        Assert.Contains("1 TensorHandle still alive, never disposed", report, StringComparison.Ordinal);
    }

    [Fact]
    public void DisposedObjectsAreNoLeak()
    {
        var check = LeakCheck.Start();
        using (var parameter = new Tensor([1f]))
        using (var optimizer = new MadaOptimizer(MadaOptions.Mada, [parameter]))
        using (var engine = new MadaEngine(MadaOptions.Mada, [3]))
        {
            Assert.Equal((1, 1), (optimizer.ParameterCount, engine.ParameterCount));
        }

        Assert.Null(check.Finish());
    }

    // Not inlined, so nothing on the test's stack keeps the optimizer reachable.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Abandon()
    {
        using var parameter = new Tensor([1f]);
        var optimizer = new MadaOptimizer(MadaOptions.Mada, [parameter]);
        Assert.Equal(1, optimizer.GroupCount);
    }
}
