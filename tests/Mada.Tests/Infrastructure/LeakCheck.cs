using Mada.Native;

namespace Mada.Tests.Infrastructure;

/// <summary>
/// What a piece of code left behind in native objects, per handle type: objects still alive, and
/// objects the finalizer destroyed because nobody disposed them (a leak of the caller's all the
/// same, only a later one). <see cref="Start"/> before, <see cref="Finish"/> after. The counts are
/// process-wide, so tests run one at a time (AssemblyInfo.cs).
/// </summary>
internal sealed class LeakCheck
{
    private readonly Dictionary<string, HandleCount> before;

    private LeakCheck()
    {
        before = HandleCensus.Snapshot().ToDictionary(count => count.Type);
    }

    public static LeakCheck Start() => new();

    /// <summary>
    /// Runs the finalizers of everything unreachable, so that an abandoned object is counted now
    /// and here, then describes what leaked ("1 OptimizerHandle finalized, never disposed"), or
    /// returns null when nothing did.
    /// </summary>
    public string? Finish()
    {
        // Twice: a finalized trainer releases the model and dataset handles it held.
        for (int i = 0; i < 2; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        var leaks = new List<string>();
        foreach (var now in HandleCensus.Snapshot())
        {
            before.TryGetValue(now.Type, out var then);
            if (now.Live > then.Live)
            {
                leaks.Add($"{now.Live - then.Live} {now.Type} still alive, never disposed");
            }
            if (now.Finalized > then.Finalized)
            {
                leaks.Add($"{now.Finalized - then.Finalized} {now.Type} finalized, never disposed");
            }
        }
        return leaks.Count == 0 ? null : $"Native objects leaked: {string.Join("; ", leaks)}.";
    }
}
