using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Mada.Cli.Commands;

/// <summary>
/// Options taking one number, parsed in invariant culture with messages that name the option and
/// the rule ("--steps must be at least 1, not -5"), rather than .NET type names.
/// </summary>
internal static class NumberOptions
{
    /// <summary>A whole number of at least <paramref name="minimum"/>; 0 when absent unless <paramref name="defaultValue"/> is given (help shows it).</summary>
    public static Option<long> Whole(string name, string description, long minimum, long? defaultValue = null)
    {
        var option = new Option<long>(name)
        {
            Description = description,
            HelpName = "n",
            CustomParser = result => ParseWhole(result, name, minimum) ?? 0,
        };
        if (defaultValue is { } value)
        {
            option.DefaultValueFactory = _ => value;
        }
        return option;
    }

    /// <summary>A whole number of at least <paramref name="minimum"/>, or null when absent (a default decided later).</summary>
    public static Option<long?> OptionalWhole(string name, string description, long minimum) => new(name)
    {
        Description = description,
        HelpName = "n",
        CustomParser = result => ParseWhole(result, name, minimum),
    };

    /// <summary>A non-negative whole number up to 2^64 - 1 (a seed); 0 when absent.</summary>
    public static Option<ulong> Unsigned(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "n",
        DefaultValueFactory = _ => 0,
        CustomParser = result =>
        {
            string token = result.Tokens.Single().Value;
            if (ulong.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value))
            {
                return value;
            }
            result.AddError($"{name} takes a whole number from 0 to {ulong.MaxValue}, not '{token}'.");
            return 0;
        },
    };

    /// <summary>A number (1e-3, 0.001), or null when absent; the library checks its range.</summary>
    public static Option<double?> OptionalReal(string name, string description, string helpName) => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result =>
        {
            string token = result.Tokens.Single().Value;
            if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value))
            {
                return value;
            }
            result.AddError($"{name} takes a number, not '{token}'.");
            return null;
        },
    };

    private static long? ParseWhole(ArgumentResult result, string name, long minimum)
    {
        string token = result.Tokens.Single().Value;
        if (!long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
        {
            result.AddError($"{name} takes a whole number, not '{token}'.");
            return null;
        }
        if (value < minimum)
        {
            result.AddError($"{name} must be at least {minimum}, not {value}.");
            return null;
        }
        return value;
    }
}
