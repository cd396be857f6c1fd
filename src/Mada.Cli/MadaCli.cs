using System.CommandLine;
using System.CommandLine.Help;
using Mada.Cli.Commands;

namespace Mada.Cli;

/// <summary>The <c>mada</c> program: its commands, and the one place arguments are parsed and run.</summary>
internal static class MadaCli
{
    /// <summary>
    /// The root command. Not a <see cref="RootCommand"/>, which names itself after the running
    /// file (Mada.Cli under <c>dotnet run</c>): the program is called mada wherever it runs.
    /// </summary>
    public static Command CreateRootCommand(Terminal terminal) =>
        new("mada", "Train models from C# with the MADA optimizer (and nine others), compare optimizers and plot the runs.")
        {
            new HelpOption(),
            new VersionOption(),
            new TrainCommand(terminal),
            new CompareCommand(terminal),
            new SweepCommand(terminal),
            new PlotCommand(terminal),
            new DemoCommand(terminal),
        };

    /// <summary>Parses <paramref name="args"/> and runs the command; returns the exit code (see <see cref="ExitCodes"/>).</summary>
    public static Task<int> RunAsync(string[] args, Terminal terminal, CancellationToken cancellation = default)
    {
        var configuration = new InvocationConfiguration
        {
            Output = terminal.Output,
            Error = terminal.Error,
            // Ctrl+C asks a run to stop; it then saves a checkpoint, which may take a few seconds for a big model.
            ProcessTerminationTimeout = TimeSpan.FromSeconds(30),
        };
        return CreateRootCommand(terminal).Parse(args).InvokeAsync(configuration, cancellation);
    }
}
