using System.CommandLine;

namespace Mada.Cli.Commands;

/// <summary>
/// The command-line names of one kind of value (optimizers, models, modes, devices): options that
/// take them, with help that shows the default by name and an error that lists every name, and
/// the name of a value for run folders and tables.
/// </summary>
internal sealed class Choice<T>(string what, params (string Name, T Value)[] choices)
    where T : struct, Enum
{
    /// <summary>All names, lower case, in a fixed order.</summary>
    public IEnumerable<string> Names => choices.Select(choice => choice.Name);

    /// <summary>"a|b|c", for help texts.</summary>
    public string HelpName => string.Join('|', Names);

    public string NameOf(T value) =>
        choices.FirstOrDefault(choice => EqualityComparer<T>.Default.Equals(choice.Value, value)).Name
        ?? throw new ArgumentOutOfRangeException(nameof(value), value, $"No {what} has this value.");

    /// <summary>The value named <paramref name="name"/> (any case).</summary>
    /// <exception cref="CliException">No value has this name; the message lists the names.</exception>
    public T Parse(string name)
    {
        foreach (var (candidate, value) in choices)
        {
            if (string.Equals(candidate, name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }
        throw new CliException($"unknown {what} '{name}'; expected one of: {string.Join(", ", Names)}");
    }

    /// <summary>The values of a comma-separated list of names.</summary>
    /// <exception cref="CliException">A name is unknown, or the list is empty.</exception>
    public T[] ParseList(string names)
    {
        T[] values = names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse).ToArray();
        return values.Length > 0 ? values : throw new CliException($"no {what} given; expected some of: {string.Join(", ", Names)}");
    }

    /// <summary>An option taking one name; read it with <see cref="Parse"/>.</summary>
    public Option<string> CreateOption(string name, string description, T defaultValue) =>
        Validated(new Option<string>(name)
        {
            Description = description,
            HelpName = HelpName,
            DefaultValueFactory = _ => NameOf(defaultValue),
        }, value => Parse(value));

    /// <summary>An option taking one name, null when absent (a default decided later); read it with <see cref="Parse"/>.</summary>
    public Option<string?> CreateOptionalOption(string name, string description) =>
        Validated(new Option<string?>(name)
        {
            Description = description,
            HelpName = HelpName,
        }, value => Parse(value));

    /// <summary>An option taking comma-separated names; read it with <see cref="ParseList"/>.</summary>
    public Option<string> CreateListOption(string name, string description, params T[] defaultValues) =>
        Validated(new Option<string>(name)
        {
            Description = description,
            HelpName = "list",
            DefaultValueFactory = _ => string.Join(',', defaultValues.Select(NameOf)),
        }, value => ParseList(value));

    /// <summary>An optional option taking comma-separated names (null when absent); read it with <see cref="ParseList"/>.</summary>
    public Option<string?> CreateOptionalListOption(string name, string description) =>
        Validated(new Option<string?>(name)
        {
            Description = description,
            HelpName = "list",
        }, value => ParseList(value));

    /// <summary>Bad names become parse errors that name the option, reported before any command runs.</summary>
    private static Option<TValue> Validated<TValue>(Option<TValue> option, Action<string> parse)
    {
        option.Validators.Add(result =>
        {
            try
            {
                parse(result.GetValueOrDefault<string>() ?? string.Empty);
            }
            catch (CliException e)
            {
                result.AddError($"{option.Name}: {e.Message}");
            }
        });
        return option;
    }
}
