using System.CommandLine;
using System.Globalization;

namespace Mada.Cli.Commands;

/// <summary>
/// An option taking a comma-separated list of distinct numbers (0.5,0.7,0.9): one axis of a grid.
/// An empty list, a word and a value given twice are parse errors that name the option.
/// </summary>
internal static class ValueListOption
{
    /// <summary>The option; empty when absent.</summary>
    public static Option<double[]> Create(string name, string description) => WithParser<double>(name, description, "list", Parse);

    /// <summary>
    /// An option taking one token that <paramref name="parse"/> turns into a list, or into a
    /// message that becomes a parse error; empty when absent or refused.
    /// </summary>
    public static Option<T[]> WithParser<T>(string name, string description, string helpName, Func<string, string, (T[]? Values, string? Error)> parse) =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = result =>
            {
                var (values, error) = parse(name, result.Tokens.Single().Value);
                if (error is not null)
                {
                    result.AddError(error);
                }
                return values ?? [];
            },
        };

    /// <summary>The values <paramref name="token"/> lists, in its order, or why it lists none.</summary>
    internal static (double[]? Values, string? Error) Parse(string name, string token)
    {
        string[] items = token.Split(',', StringSplitOptions.TrimEntries);
        if (items.All(item => item.Length == 0))
        {
            return (null, $"{name} takes a comma-separated list of values (0.5,0.7,0.9), not an empty one.");
        }
        var values = new List<double>();
        foreach (string item in items)
        {
            if (!double.TryParse(item, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            {
                return (null, $"{name} takes a comma-separated list of numbers (0.5,0.7,0.9); '{item}' in '{token}' is not one.");
            }
            if (values.Contains(value))
            {
                return (null, $"{name} lists {item} twice; each value is one row or column of the grid.");
            }
            values.Add(value);
        }
        return (values.ToArray(), null);
    }
}
