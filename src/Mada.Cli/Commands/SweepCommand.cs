using System.CommandLine;
using Mada.Cli.Metrics;
using Mada.Cli.Reporting;
using Mada.Cli.Training;

namespace Mada.Cli.Commands;

/// <summary>
/// <c>mada sweep</c>: several optimizers, each started from every pair of initial values of two
/// coefficients, one run folder each; heatmaps of the final train loss and of the difference to a
/// baseline (the MADA paper's Figure 3), sweep.json and sweep.csv. Run again with the same --out,
/// it trains only the runs not yet finished.
/// </summary>
internal sealed class SweepCommand : Command
{
    private readonly TrainingOptions training = new();

    private readonly Option<string> optimizers = Choices.Optimizer.CreateListOption(
        "--optimizers", "The optimizers to sweep, comma-separated", OptimizerKind.Mada, OptimizerKind.Adam, OptimizerKind.HyperAdam);

    /// <summary>--beta1 ... --gamma, each a list of initial values, in <see cref="Coefficient"/> order.</summary>
    private readonly IReadOnlyList<Option<double[]>> grid;

    private readonly Option<string?> baseline = BaselineOption.Create("The optimizer the others are measured against, point by point");

    private readonly Option<string?> modes = ModesOption.Create();

    private readonly Option<long> jobs = NumberOptions.Whole(
        "--jobs",
        "Runs trained side by side, each in its own process with cores/jobs threads and its output in <dir>/logs/ " +
        "(worth it where one run does not use every core)",
        minimum: 1,
        defaultValue: 1);

    /// <summary>Internal: the child process of --jobs trains run n (from 0, over all modes) of the same sweep, and nothing else.</summary>
    private readonly Option<long?> cell = new("--cell") { Hidden = true };

    private readonly Option<string?> output = new("--out")
    {
        Description = "The sweep folder; each run goes into <dir>/<optimizer>/<coefficient>-<value>_<coefficient>-<value>. " +
            "Given again with the same options, the runs it holds finished are kept [default: runs/<time>-<model>-sweep]",
        HelpName = "dir",
    };

    private readonly Terminal terminal;

    public SweepCommand(Terminal terminal)
        : base("sweep", "Train several optimizers from a grid of initial values of two coefficients; write heatmaps of the final train loss and the summary")
    {
        this.terminal = terminal;
        training.AddTo(this, withInitialCoefficients: false);
        grid = training.InitialCoefficients
            .Select(flag => ValueListOption.Create(
                flag.Name, $"Initial values of {flag.Name[2..]} to sweep, comma-separated (0.5,0.7,0.9); give exactly two coefficients"))
            .ToList();
        foreach (var option in grid)
        {
            Options.Add(option);
        }
        Options.Add(optimizers);
        Options.Add(baseline);
        Options.Add(modes);
        Options.Add(jobs);
        Options.Add(cell);
        Options.Add(output);
        CommandAction.Set(this, terminal, Execute, training.InFlagTerms);
    }

    /// <summary>Runs the sweep <paramref name="parse"/> describes (a parse of this command's arguments).</summary>
    public int Execute(ParseResult parse, CancellationToken cancellation)
    {
        var kinds = Choices.Optimizer.ParseList(parse.GetValue(optimizers)!).Distinct().ToList();
        var reference = BaselineOption.Resolve(parse.GetValue(baseline), kinds, "swept");
        var (x, y) = AxesOf(parse);
        var sweep = new SweepGrid(x, y, kinds.Select(Choices.Optimizer.NameOf).ToList(), Choices.Optimizer.NameOf(reference));
        string directory = parse.GetValue(output) ?? RunFolder.NewDefault(training.ModelOf(parse), "sweep");
        var modeList = ModesOption.Resolve(parse, modes, training.Mode);

        // Every run's settings first, so that a coefficient outside an optimizer's bounds fails before anything trains.
        var sweeps = modeList
            .Select(mode =>
            {
                string modeDirectory = ModesOption.FolderOf(directory, mode, modeList.Count);
                var runs = sweep.Points.Select(point =>
                    {
                        var settings = training.Bind(
                            parse,
                            Choices.Optimizer.Parse(point.Optimizer),
                            Path.Combine(modeDirectory, sweep.FolderOf(point)),
                            coefficients: [(x.Coefficient, x.Values[point.X]), (y.Coefficient, y.Values[point.Y])]);
                        return (Point: point, Settings: settings with { Trainer = settings.Trainer with { Mode = mode } });
                    })
                    .ToList();
                return (Directory: modeDirectory, Runs: runs);
            })
            .ToList();
        if (parse.GetValue(cell) is { } only)
        {
            // A child of --jobs: its one run alone; the parent checked the folders and keeps the sweep's files.
            var all = sweeps.SelectMany(modeSweep => modeSweep.Runs.Select(run => (modeSweep.Directory, run.Point, run.Settings))).ToList();
            if (only < 0 || only >= all.Count)
            {
                throw new CliException($"--cell {only}: this sweep has runs 0 to {all.Count - 1}.");
            }
            var (cellDirectory, point, settings) = all[(int)only];
            var planned = new Sweep.PlannedRun(point, settings, FinishedBefore(cellDirectory, sweep, point, settings));
            return Sweep.TrainAlone(sweep, planned, terminal, cancellation);
        }
        // And every folder checked against what this command asks before any of them trains.
        var plans = sweeps
            .Select(modeSweep =>
            {
                RefuseChangedGrid(modeSweep.Directory, sweep);
                return modeSweep.Runs
                    .Select(run => new Sweep.PlannedRun(run.Point, run.Settings, FinishedBefore(modeSweep.Directory, sweep, run.Point, run.Settings)))
                    .ToList();
            })
            .ToList();
        int jobCount = (int)Math.Min(parse.GetValue(jobs), 256);
        int threads = Math.Max(1, Environment.ProcessorCount / jobCount);
        return ModesOption.RunEach(modeList, terminal, i =>
        {
            // The children number the runs over all modes, as --cell reads them.
            int first = plans.Take(i).Sum(planned => planned.Count);
            return Sweep.Run(
                sweep, plans[i], sweeps[i].Directory, terminal, cancellation, jobCount,
                index => MadaProcess.With(ChildArguments(parse, directory, first + index), threads));
        });
    }

    /// <summary>
    /// This command line for the child that trains run <paramref name="index"/>: the same sweep with
    /// --cell, the folder made explicit (its default name holds the time), and no --jobs.
    /// </summary>
    private static List<string> ChildArguments(ParseResult parse, string directory, int index) =>
        [.. MadaProcess.ArgumentsWithout(parse, "--jobs", "--out"), "--out", directory, "--cell", index.ToString(System.Globalization.CultureInfo.InvariantCulture)];

    /// <summary>The two coefficients given, in <see cref="Coefficient"/> order.</summary>
    /// <exception cref="CliException">Fewer or more than two are given.</exception>
    private (SweepAxis X, SweepAxis Y) AxesOf(ParseResult parse)
    {
        var axes = grid
            .Select((option, index) => new SweepAxis((Coefficient)index, option.Name, parse.GetValue(option) ?? []))
            .Where(axis => axis.Values.Count > 0)
            .ToList();
        if (axes.Count != 2)
        {
            string given = axes.Count == 0 ? "none" : string.Join(", ", axes.Select(axis => axis.Flag));
            throw new CliException(
                $"a sweep takes exactly two coefficients, each with a list of initial values (--beta1 0.5,0.7,0.9 --beta2 0.6,0.8,0.95); " +
                $"given: {given}.");
        }
        return (axes[0], axes[1]);
    }

    /// <summary>
    /// Refuses an --out that holds a sweep of another grid: its runs would be mixed with this one's,
    /// or left out of its summary unseen.
    /// </summary>
    /// <exception cref="CliException">The folder's sweep.json names other coefficients, values or optimizers.</exception>
    private static void RefuseChangedGrid(string directory, SweepGrid sweep)
    {
        if (SweepFiles.ReadArguments(directory) is { } recorded && recorded != sweep.Arguments)
        {
            throw new CliException(
                $"--out {directory} holds a sweep of {recorded}, and this one is of {sweep.Arguments}. " +
                "A resumed sweep keeps its grid: give the same, or choose another --out.");
        }
    }

    /// <summary>
    /// The result of a run an earlier session finished in its folder (null: train it), after
    /// checking that the folder's run, finished or not, trained with the settings asked now.
    /// </summary>
    /// <exception cref="CliException">A setting differs (named with both values).</exception>
    private SweepCell? FinishedBefore(string directory, SweepGrid sweep, SweepPoint point, RunSettings settings)
    {
        string folder = settings.OutputDirectory;
        var failure = RunFailure.Load(folder);
        var record = failure is null && File.Exists(Path.Combine(folder, RunRecord.FileName)) ? RunRecord.Load(folder) : null;
        if ((failure?.Run ?? record?.Run) is not { } recorded)
        {
            return null;
        }
        // The parameter count is the model's; the rest is what the command line asks.
        var requested = RunInfo.Describe(settings, TrainingData.Describe(settings), recorded.Parameters);
        if (RunSetting.FirstChange(training.RecordedSettings, recorded, requested) is (var setting, var before, var now))
        {
            string flag = setting.Flag.Name;
            throw new CliException(
                $"--out {directory}: its run {sweep.Describe(point)} trained with {flag} {before}, and this sweep would with {flag} {now}. " +
                "A resumed sweep keeps the settings of its runs: give the same, or choose another --out.");
        }
        return Sweep.FinishedIn(sweep, point, settings, failure, record);
    }
}
