using System.Collections.Concurrent;

namespace Mada.Native;

/// <summary>
/// Native objects per handle type: how many are alive (created and not yet destroyed) and how
/// many the finalizer destroyed because their owner was never disposed. Both are leaks of the
/// caller's; the tests' leak check compares a <see cref="Snapshot"/> before and after each test.
/// </summary>
internal static class HandleCensus
{
    private static readonly ConcurrentDictionary<Type, Counts> ByType = new();

    /// <summary>Native objects alive, over all handle types.</summary>
    public static long LiveCount => ByType.Values.Sum(counts => Interlocked.Read(ref counts.Live));

    /// <summary>The counts of every handle type that ever held an object, by type name.</summary>
    public static IReadOnlyList<HandleCount> Snapshot() =>
        [.. ByType
            .Select(entry => new HandleCount(
                entry.Key.Name, Interlocked.Read(ref entry.Value.Live), Interlocked.Read(ref entry.Value.Finalized)))
            .OrderBy(count => count.Type, StringComparer.Ordinal)];

    internal static void Created(Type handleType) =>
        Interlocked.Increment(ref ByType.GetOrAdd(handleType, static _ => new Counts()).Live);

    /// <summary>Called from ReleaseHandle, possibly on the finalizer thread; the type's entry exists since <see cref="Created"/>.</summary>
    internal static void Destroyed(Type handleType, bool byFinalizer)
    {
        var counts = ByType[handleType];
        Interlocked.Decrement(ref counts.Live);
        if (byFinalizer)
        {
            Interlocked.Increment(ref counts.Finalized);
        }
    }

    private sealed class Counts
    {
        public long Live;
        public long Finalized;
    }
}

/// <summary>One handle type's counts (<see cref="HandleCensus"/>): objects alive, and objects the finalizer destroyed.</summary>
internal readonly record struct HandleCount(string Type, long Live, long Finalized);
