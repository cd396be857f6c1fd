using System.CommandLine;

namespace Mada.Cli.Commands;

/// <summary>
/// Runs a command's body and turns the failures a user can act on (bad values, missing files, a
/// checkpoint of another model) into "error: message" on standard error and exit code 1; anything
/// else is a bug and keeps its stack trace.
/// </summary>
internal static class CommandAction
{
    /// <summary>
    /// Makes <paramref name="body"/> the action of <paramref name="command"/>. <paramref name="inFlagTerms"/>,
    /// when given, rewrites the library's messages about invalid values in terms of the command's flags
    /// (<see cref="TrainingOptions.InFlagTerms"/>).
    /// </summary>
    public static void Set(
        Command command, Terminal terminal, Func<ParseResult, CancellationToken, int> body, Func<string, string>? inFlagTerms = null) =>
        // On the thread pool, so that Ctrl+C can reach the cancellation token while a step runs.
        command.SetAction((parse, cancellation) =>
            Task.Run(() => Guard(terminal, () => body(parse, cancellation), inFlagTerms), CancellationToken.None));

    public static int Guard(Terminal terminal, Func<int> body, Func<string, string>? inFlagTerms = null)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (IsUserFacing(e))
        {
            // The library reports an invalid value as an ArgumentException in its own names (warmup_steps).
            string message = e is ArgumentException && inFlagTerms is not null ? inFlagTerms(e.Message) : e.Message;
            terminal.Error.WriteLine($"error: {message}");
            return ExitCodes.Failure;
        }
    }

    private static bool IsUserFacing(Exception e) =>
        e is CliException or MadaException or IOException or UnauthorizedAccessException or NotSupportedException
            or DllNotFoundException
            // The library reports invalid options (a negative learning rate, a model that does not fit the data) this way.
            or ArgumentException;
}
