using Spectre.Console;

namespace Mada.Cli;

/// <summary>
/// Where the program writes: tables, progress and results to <see cref="Console"/>; help to
/// <see cref="Output"/>; errors to <see cref="Error"/>. Tests pass writers they can read.
/// </summary>
internal sealed record Terminal(IAnsiConsole Console, TextWriter Output, TextWriter Error)
{
    public static Terminal Standard => new(AnsiConsole.Console, System.Console.Out, System.Console.Error);
}
