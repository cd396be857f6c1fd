using System.CommandLine;
using Mada.Cli.Training;

namespace Mada.Cli.Commands;

/// <summary><c>mada compare</c>: several optimizers on the same task, one run folder each, a table and the charts.</summary>
internal sealed class CompareCommand : Command
{
    private readonly TrainingOptions training = new();

    private readonly Option<string> optimizers = Choices.Optimizer.CreateListOption(
        "--optimizers", "The optimizers to compare, comma-separated", OptimizerKind.Mada, OptimizerKind.Adam);

    private readonly Option<string?> output = new("--out")
    {
        Description = "The comparison folder; each run goes into <dir>/<optimizer> [default: runs/<time>-<model>-compare]",
        HelpName = "dir",
    };

    private readonly Terminal terminal;

    public CompareCommand(Terminal terminal)
        : base("compare", "Train the same model on the same data with several optimizers; print a table and write the charts")
    {
        this.terminal = terminal;
        training.AddTo(this);
        Options.Add(optimizers);
        Options.Add(output);
        CommandAction.Set(this, terminal, Execute, training.InFlagTerms);
    }

    /// <summary>Runs the comparison <paramref name="parse"/> describes (a parse of this command's arguments).</summary>
    public int Execute(ParseResult parse, CancellationToken cancellation)
    {
        var kinds = Choices.Optimizer.ParseList(parse.GetValue(optimizers)!).Distinct().ToList();
        string directory = parse.GetValue(output) ?? RunFolder.NewDefault(training.ModelOf(parse), "compare");
        // Every run's settings first, so that a bad option fails before anything trains.
        var runs = kinds
            .Select(kind => training.Bind(parse, kind, Path.Combine(directory, Choices.Optimizer.NameOf(kind))))
            .ToList();
        return Comparison.Run(runs, directory, terminal, cancellation);
    }
}
