using Mada.Native;

namespace Mada.Tests.Infrastructure;

/// <summary>
/// Base of tests that own native objects: fails the test when it ends with more live native
/// handles than it started with, i.e. when it forgot a Dispose. (Tests run one at a time.)
/// </summary>
public abstract class LeakCheckedTest : IDisposable
{
    private readonly long liveAtStart = MadaHandle.LiveCount;

    public void Dispose()
    {
        long leaked = MadaHandle.LiveCount - liveAtStart;
        Assert.True(leaked <= 0, $"The test left {leaked} native handle(s) undisposed.");
        GC.SuppressFinalize(this);
    }
}
