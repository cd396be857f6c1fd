using System.CommandLine;
using System.Globalization;

namespace Mada.Cli.Commands;

/// <summary>
/// An option naming the seeds to run: a count (3: seeds 0, 1, 2) or a comma-separated list
/// (0,4,7; one seed alone is <c>--seed</c>'s). Bad values are parse errors that name the option.
/// </summary>
internal static class SeedsOption
{
    /// <summary>The largest count: beyond it a count is a typo rather than a plan (each seed is a run of every optimizer).</summary>
    private const int MaxCount = 10_000;

    /// <summary>The option; empty when absent.</summary>
    public static Option<ulong[]> Create(string name, string description) => ValueListOption.WithParser<ulong>(name, description, "n|list", Parse);

    /// <summary>The seeds <paramref name="token"/> names, or why it names none.</summary>
    internal static (ulong[]? Seeds, string? Error) Parse(string name, string token)
    {
        string[] items = token.Split(',', StringSplitOptions.TrimEntries);
        var seeds = new List<ulong>();
        foreach (string item in items)
        {
            if (!ulong.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed))
            {
                return (null, $"{name} takes a number of seeds (3: seeds 0, 1, 2) or a comma-separated list of seeds (0,1,2), not '{token}'.");
            }
            if (seeds.Contains(seed))
            {
                return (null, $"{name} lists seed {seed} twice; each seed runs once.");
            }
            seeds.Add(seed);
        }
        if (items.Length > 1)
        {
            return (seeds.ToArray(), null);
        }
        ulong count = seeds[0];
        return count switch
        {
            0 => (null, $"{name} must be at least 1, not 0."),
            > MaxCount => (null, $"{name} must be at most {MaxCount}, not {count}."),
            _ => ([.. Enumerable.Range(0, (int)count).Select(seed => (ulong)seed)], null),
        };
    }
}
