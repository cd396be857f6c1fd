using Spectre.Console;

namespace Mada.Cli;

/// <summary>
/// Where the program writes: tables, progress and results to <see cref="Console"/>; help to
/// <see cref="Output"/>; errors to <see cref="Error"/>. Tests pass writers they can read.
/// </summary>
internal sealed record Terminal(IAnsiConsole Console, TextWriter Output, TextWriter Error)
{
    /// <summary>
    /// The width given to output that goes to a file or a pipe: wide enough that no line is
    /// wrapped. Spectre.Console would wrap it at 80 columns, mid-word, as if it were a terminal.
    /// </summary>
    public const int RedirectedWidth = 100_000;

    public static Terminal Standard => new(StandardConsole(), System.Console.Out, System.Console.Error);

    /// <summary>Spectre.Console's console on standard output, unwrapped when that is not a terminal.</summary>
    private static IAnsiConsole StandardConsole()
    {
        var console = AnsiConsole.Console;
        if (System.Console.IsOutputRedirected)
        {
            console.Profile.Width = RedirectedWidth;
        }
        return console;
    }
}
