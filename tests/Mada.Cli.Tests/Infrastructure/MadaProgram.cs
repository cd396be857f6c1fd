using Spectre.Console;

namespace Mada.Cli.Tests.Infrastructure;

/// <summary>What one in-process run of the program gave back.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error);

/// <summary>Runs <c>mada</c> in-process, as the shell would, with its output captured.</summary>
internal static class MadaProgram
{
    public static Task<CliResult> RunAsync(params string[] arguments) => RunAsync(arguments, CancellationToken.None);

    public static async Task<CliResult> RunAsync(string[] arguments, CancellationToken cancellation)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        // Wide enough that no line the tests look for is wrapped.
        console.Profile.Width = 240;
        int exitCode = await MadaCli.RunAsync(arguments, new Terminal(console, output, error), cancellation);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Splits a command line written with single spaces, as in the tests' data.</summary>
    public static Task<CliResult> RunAsync(string commandLine) => RunAsync(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
