using System.CommandLine;
using Spectre.Console;

namespace Mada.Cli.Commands;

/// <summary>
/// <c>mada demo</c>, the main job: <c>mada compare</c> with fixed arguments, MADA against Adam on
/// a Fashion-MNIST CNN, sized to take a few minutes on two CPU cores.
/// </summary>
internal sealed class DemoCommand : Command
{
    /// <summary>
    /// The paper's CNN (width 32) for about one epoch (1000 steps of 64 images). At about 0.1 s a
    /// step on two cores, each optimizer takes a little over two minutes with its evaluations, and
    /// the whole demo four to five.
    /// </summary>
    private static readonly string[] CompareArguments =
    [
        "--model", "cnn", "--steps", "1000", "--batch-size", "64", "--lr", "1e-3", "--seed", "0",
        "--eval-every", "100", "--eval-batches", "20", "--optimizers", "mada,adam",
    ];

    private readonly Option<string> output = new("--out")
    {
        Description = "Where the runs and charts go",
        HelpName = "dir",
        DefaultValueFactory = _ => Path.Combine(Training.RunFolder.RunsDirectory, "demo"),
    };

    private readonly Terminal terminal;

    public DemoCommand(Terminal terminal)
        : base("demo", "The main job: MADA against Adam on a Fashion-MNIST CNN (a few minutes on two cores), with the table and charts")
    {
        this.terminal = terminal;
        Options.Add(output);
        CommandAction.Set(this, terminal, Run);
    }

    private int Run(ParseResult parse, CancellationToken cancellation)
    {
        string[] arguments = [.. CompareArguments, "--out", parse.GetValue(output)!];
        terminal.Console.MarkupLine("[bold]MADA against Adam[/]: a CNN on Fashion-MNIST, same data, seed and schedule for both.");
        terminal.Console.MarkupLine($"[grey]The same as: mada compare {Markup.Escape(string.Join(' ', arguments))}[/]");

        var compare = new CompareCommand(terminal);
        var compareParse = compare.Parse(arguments);
        if (compareParse.Errors.Count > 0)
        {
            throw new InvalidOperationException($"The demo's own arguments do not parse: {compareParse.Errors[0].Message}");
        }
        return compare.Execute(compareParse, cancellation);
    }
}
