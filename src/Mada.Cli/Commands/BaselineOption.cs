using System.CommandLine;

namespace Mada.Cli.Commands;

/// <summary>
/// --baseline: the optimizer the others of a comparison or a sweep are measured against; by
/// default adam where it takes part, else the first optimizer.
/// </summary>
internal static class BaselineOption
{
    public static Option<string?> Create(string description) =>
        Choices.Optimizer.CreateOptionalOption("--baseline", $"{description} [default: adam if it takes part, else the first]");

    /// <summary>The baseline <paramref name="name"/> names (null: the default) among <paramref name="kinds"/>; <paramref name="verb"/> says what the command does with them ("compared").</summary>
    /// <exception cref="CliException">It names an optimizer not among <paramref name="kinds"/>.</exception>
    public static OptimizerKind Resolve(string? name, IReadOnlyList<OptimizerKind> kinds, string verb)
    {
        if (name is null)
        {
            return kinds.Contains(OptimizerKind.Adam) ? OptimizerKind.Adam : kinds[0];
        }
        var kind = Choices.Optimizer.Parse(name);
        return kinds.Contains(kind)
            ? kind
            : throw new CliException(
                $"--baseline {name} is not among the optimizers {verb} ({string.Join(", ", kinds.Select(Choices.Optimizer.NameOf))}); " +
                "add it to --optimizers or choose one of them.");
    }
}
