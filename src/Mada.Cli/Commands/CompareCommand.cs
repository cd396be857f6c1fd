using System.CommandLine;
using Mada.Cli.Training;

namespace Mada.Cli.Commands;

/// <summary>
/// <c>mada compare</c>: several optimizers on the same task, at one seed or several, one run folder
/// each, a table against a baseline, the summary files and the charts.
/// </summary>
internal sealed class CompareCommand : Command
{
    private readonly TrainingOptions training = new();

    private readonly Option<string> optimizers = Choices.Optimizer.CreateListOption(
        "--optimizers", "The optimizers to compare, comma-separated", OptimizerKind.Mada, OptimizerKind.Adam);

    private readonly Option<ulong[]> seeds = SeedsOption.Create(
        "--seeds",
        "Run every optimizer at each of these seeds (0,1,2), or at this many (3: seeds 0, 1, 2); at one seed all optimizers " +
        "start from the same weights and see the same batches [default: --seed alone]");

    private readonly Option<string?> modes = ModesOption.Create();

    private readonly Option<string?> baseline = BaselineOption.Create("The optimizer the others are measured against, seed by seed");

    private readonly Option<string?> output = new("--out")
    {
        Description = "The comparison folder; each run goes into <dir>/<optimizer>, or <dir>/<optimizer>/seed-<n> with several seeds " +
            "[default: runs/<time>-<model>-compare]",
        HelpName = "dir",
    };

    private readonly Terminal terminal;

    public CompareCommand(Terminal terminal)
        : base("compare", "Train the same model on the same data with several optimizers; print a table and write the summary and the charts")
    {
        this.terminal = terminal;
        training.AddTo(this);
        Options.Add(optimizers);
        Options.Add(seeds);
        Options.Add(modes);
        Options.Add(baseline);
        Options.Add(output);
        CommandAction.Set(this, terminal, Execute, training.InFlagTerms);
    }

    /// <summary>Runs the comparison <paramref name="parse"/> describes (a parse of this command's arguments).</summary>
    public int Execute(ParseResult parse, CancellationToken cancellation)
    {
        var kinds = Choices.Optimizer.ParseList(parse.GetValue(optimizers)!).Distinct().ToList();
        var reference = BaselineOption.Resolve(parse.GetValue(baseline), kinds, "compared");
        var seedList = SeedsOf(parse);
        var modeList = ModesOption.Resolve(parse, modes, training.Mode);
        string directory = parse.GetValue(output) ?? RunFolder.NewDefault(training.ModelOf(parse), "compare");
        // Every run's settings first, so that a bad option fails before anything trains. Mode by
        // mode, then seed by seed, so that each finished seed is a complete paired set.
        var comparisons = modeList
            .Select(mode =>
            {
                string modeDirectory = ModesOption.FolderOf(directory, mode, modeList.Count);
                var runs = seedList
                    .SelectMany(seed => kinds.Select(kind =>
                    {
                        string folder = Path.Combine(modeDirectory, Choices.Optimizer.NameOf(kind));
                        var settings = training.Bind(parse, kind, seedList.Length > 1 ? Path.Combine(folder, $"seed-{seed}") : folder);
                        return settings with { Trainer = settings.Trainer with { Seed = seed, Mode = mode } };
                    }))
                    .ToList();
                return (Directory: modeDirectory, Runs: runs);
            })
            .ToList();
        return ModesOption.RunEach(
            modeList, terminal, i => Comparison.Run(comparisons[i].Runs, reference, comparisons[i].Directory, terminal, cancellation));
    }

    /// <summary>--seeds, else --seed alone.</summary>
    /// <exception cref="CliException">Both are given: which seeds to run would be a guess.</exception>
    private ulong[] SeedsOf(ParseResult parse)
    {
        if (parse.GetValue(seeds) is not { Length: > 0 } list)
        {
            return [parse.GetValue(training.Seed)];
        }
        return parse.GetResult(training.Seed) is { Implicit: false }
            ? throw new CliException("--seed and --seeds both given: use --seeds alone (--seeds 7,8 runs seeds 7 and 8).")
            : list;
    }
}
