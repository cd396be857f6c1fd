using System.CommandLine;
using System.Globalization;
using Mada.Cli.Metrics;

namespace Mada.Cli.Commands;

/// <summary>
/// A setting that decides how a run trains and that its metrics.json records: the flag that sets
/// it, the library's name for it where the library checks it (and names it in its messages), and
/// how to read it from a run's record.
/// </summary>
/// <param name="Flag">The command-line option.</param>
/// <param name="LibraryName">The field's name in libmada's options and messages (<c>warmup_steps</c>); null where the library has none or never names it.</param>
/// <param name="Read">The setting's value in a run's record, comparable with <see cref="object.Equals(object, object)"/>.</param>
internal sealed record RunSetting(Option Flag, string? LibraryName, Func<RunInfo, object?> Read)
{
    /// <summary>The first of <paramref name="settings"/> whose value in <paramref name="requested"/> is not the one in <paramref name="recorded"/>, with both values; null when none differs.</summary>
    public static (RunSetting Setting, string Recorded, string Requested)? FirstChange(
        IEnumerable<RunSetting> settings, RunInfo recorded, RunInfo requested)
    {
        foreach (var setting in settings)
        {
            object? before = setting.Read(recorded);
            object? now = setting.Read(requested);
            if (!Equals(before, now))
            {
                return (setting, Format(before), Format(now));
            }
        }
        return null;
    }

    /// <summary>A value as the command line writes it (invariant culture, shortest round-trip form for numbers).</summary>
    private static string Format(object? value) => value is null ? "none" : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "none";
}
