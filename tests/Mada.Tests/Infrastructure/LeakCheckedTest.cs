namespace Mada.Tests.Infrastructure;

/// <summary>
/// Base of tests that own native objects: fails the test when it leaves a native object behind,
/// alive or to the finalizer, i.e. when it forgot a Dispose, naming the handle types (see
/// <see cref="LeakCheck"/>).
/// </summary>
public abstract class LeakCheckedTest : IDisposable
{
    private readonly LeakCheck leaks = LeakCheck.Start();

    public void Dispose()
    {
        string? leaked = leaks.Finish();
        Assert.True(leaked is null, leaked);
        GC.SuppressFinalize(this);
    }
}
