using System.CommandLine;
using System.Text.RegularExpressions;
using Mada.Cli.Metrics;
using Mada.Cli.Training;

namespace Mada.Cli.Commands;

/// <summary>
/// The options <c>train</c>, <c>compare</c> and <c>sweep</c> share: model, data, schedule, initial
/// coefficients, evaluation and checkpoints. Options left out take the library's defaults
/// (<see cref="TrainerOptions.Default"/>), and for the MADA family the preset's learning rate and
/// weight decay (Lion: 1e-4; AdamW: 0.01).
/// </summary>
internal sealed class TrainingOptions
{
    private readonly Regex libraryNames;
    private readonly Dictionary<string, string> flagsByLibraryName;

    public TrainingOptions()
    {
        RecordedSettings =
        [
            new(Model, null, info => info.Model),
            new(Data, null, info => info.Data),
            new(Width, null, info => info.Width),
            new(Layers, null, info => info.Layers),
            new(Heads, null, info => info.Heads),
            new(Context, null, info => info.Context),
            new(Steps, "total_steps", info => info.Steps),
            new(Lr, "lr", info => info.Lr),
            new(Warmup, "warmup_steps", info => info.WarmupSteps),
            new(BatchSize, "batch_size", info => info.BatchSize),
            new(GradAccumulation, "grad_accumulation", info => info.GradAccumulation),
            new(WeightDecay, "weight_decay", info => info.WeightDecay),
            new(GradClip, "grad_clip", info => info.GradClip),
            .. InitialCoefficients.Select(CoefficientSetting),
            new(Mode, null, info => info.Mode),
            new(Seed, null, info => info.Seed),
        ];
        flagsByLibraryName = RecordedSettings
            .Where(setting => setting.LibraryName is not null)
            .ToDictionary(setting => setting.LibraryName!, setting => setting.Flag.Name);
        // A library name as a word of its own: not part of a longer name (hyper_lr, lower.beta1) or of a path.
        libraryNames = new Regex(
            $@"(?<![\w./\\-])(?:{string.Join('|', flagsByLibraryName.Keys.Select(Regex.Escape))})(?![\w/\\-]|\.\w)",
            RegexOptions.CultureInvariant);
    }

    public Option<string> Model { get; } = Choices.Model.CreateOption(
        "--model", "The model: an MLP or a CNN on Fashion-MNIST, or a character-level GPT on text", ModelKind.Cnn);

    public Option<string?> Data { get; } = new("--data")
    {
        Description = "A Fashion-MNIST folder of IDX files (mlp, cnn) or a UTF-8 text file (gpt) [default: Debian's Fashion-MNIST; the King James Bible]",
        HelpName = "path",
    };

    public Option<long> Width { get; } = NumberOptions.Whole(
        "--width", "Model width: MLP hidden units, CNN first-layer channels, GPT embedding size [default: the model's]", minimum: 0);

    public Option<long> Layers { get; } = NumberOptions.Whole("--layers", "GPT blocks [default: the model's]", minimum: 0);

    public Option<long> Heads { get; } = NumberOptions.Whole("--heads", "GPT attention heads [default: the model's]", minimum: 0);

    public Option<long> Context { get; } = NumberOptions.Whole("--context", "Characters per GPT window", minimum: 1, defaultValue: 64);

    public Option<long?> Steps { get; } = NumberOptions.OptionalWhole(
        "--steps", "Optimizer steps, the length of the cosine schedule [default: the library's]", minimum: 1);

    public Option<double?> Lr { get; } = NumberOptions.OptionalReal("--lr", "Peak learning rate [default: the optimizer's]", "rate");

    public Option<long?> Warmup { get; } = NumberOptions.OptionalWhole(
        "--warmup", "Steps of linear learning-rate warm-up [default: the library's]", minimum: 0);

    public Option<long?> BatchSize { get; } = NumberOptions.OptionalWhole("--batch-size", "Examples per batch [default: the library's]", minimum: 1);

    public Option<long?> GradAccumulation { get; } = NumberOptions.OptionalWhole(
        "--grad-accumulation", "Batches per optimizer step [default: the library's]", minimum: 1);

    public Option<double?> WeightDecay { get; } = NumberOptions.OptionalReal(
        "--weight-decay", "Decoupled weight decay of matrices and kernels [default: the optimizer's]", "decay");

    public Option<double?> GradClip { get; } = NumberOptions.OptionalReal(
        "--grad-clip", "Largest global gradient norm; 0 disables clipping [default: the library's]", "norm");

    /// <summary>--beta1 ... --gamma, in <see cref="Coefficient"/> order.</summary>
    public IReadOnlyList<Option<double?>> InitialCoefficients { get; } =
    [
        Coefficient("--beta1", "first-moment decay"),
        Coefficient("--beta2", "second-moment decay"),
        Coefficient("--beta3", "weight of the gradient difference (Adan)"),
        Coefficient("--rho", "mix of v and its running mean (0: AVGrad)"),
        Coefficient("--c", "mix of Adam's and Yogi's second moment (0: Yogi)"),
        Coefficient("--gamma", "mix of the Adam direction and Lion's sign (0: Lion)"),
    ];

    public Option<string> Mode { get; } = Choices.Mode.CreateOption(
        "--mode", "MADA's equations: the paper's, or what the authors' code computes", global::Mada.Mode.Paper);

    public Option<ulong> Seed { get; } = NumberOptions.Unsigned("--seed", "Seed of the initialisation and of the batches");

    public Option<string> Device { get; } = Choices.Device.CreateOption("--device", "Where to compute", Training.Device.Cpu);

    public Option<long> EvalEvery { get; } = NumberOptions.Whole(
        "--eval-every", "Evaluate every this many steps; 0: only at the end", minimum: 0, defaultValue: 100);

    public Option<long> EvalBatches { get; } = NumberOptions.Whole(
        "--eval-batches", "Batches per periodic evaluation, 0: all (the final evaluation always covers the whole held-out set)",
        minimum: 0, defaultValue: 20);

    public Option<long> CheckpointEvery { get; } = NumberOptions.Whole(
        "--checkpoint-every", "Save a checkpoint every this many steps; 0: only at the end", minimum: 0, defaultValue: 0);

    /// <summary>
    /// The settings a run records in metrics.json that decide how it trains, each with its flag
    /// and, where the library checks it, the library's name for it: the one table that puts the
    /// library's messages in terms of flags (<see cref="InFlagTerms"/>) and that a resumed run is
    /// held to (<see cref="RunSetting.FirstChange"/>). The optimizer is the command's own option.
    /// </summary>
    public IReadOnlyList<RunSetting> RecordedSettings { get; }

    public IEnumerable<Option> All =>
    [
        Model, Data, Width, Layers, Heads, Context, Steps, Lr, Warmup, BatchSize, GradAccumulation, WeightDecay, GradClip,
        .. InitialCoefficients, Mode, Seed, Device, EvalEvery, EvalBatches, CheckpointEvery,
    ];

    /// <summary>
    /// Adds the options to <paramref name="command"/>; without <paramref name="withInitialCoefficients"/>,
    /// all but --beta1 ... --gamma, which a command that takes lists of them (<c>sweep</c>) defines itself.
    /// </summary>
    public void AddTo(Command command, bool withInitialCoefficients = true)
    {
        foreach (var option in All.Where(option => withInitialCoefficients || !InitialCoefficients.Contains(option)))
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// A message of the library with each option field it names replaced by the flag that sets it:
    /// "warmup_steps must lie in [0, total_steps)" reads "--warmup must lie in [0, --steps)".
    /// </summary>
    public string InFlagTerms(string message) => libraryNames.Replace(message, match => flagsByLibraryName[match.Value]);

    public ModelKind ModelOf(ParseResult parse) => Choices.Model.Parse(parse.GetValue(Model)!);

    /// <summary>
    /// The settings of one run with <paramref name="optimizer"/>; its initial coefficients are
    /// <paramref name="coefficients"/> where given (a point of a sweep's grid), else --beta1 ... --gamma.
    /// </summary>
    /// <exception cref="CliException">The options contradict each other or this build, or a coefficient lies outside the optimizer's bounds.</exception>
    public RunSettings Bind(
        ParseResult parse,
        OptimizerKind optimizer,
        string outputDirectory,
        string? resumeFrom = null,
        IReadOnlyList<(Coefficient Coefficient, double Value)>? coefficients = null)
    {
        if (Choices.Device.Parse(parse.GetValue(Device)!) == Training.Device.Cuda)
        {
            throw new CliException("--device cuda: this build has only the CPU step; use --device cpu.");
        }

        var defaults = TrainerOptions.Default;
        MadaOptions? preset = optimizer.IsMadaFamily() ? optimizer.Preset() : null;
        var trainer = defaults with
        {
            Optimizer = optimizer,
            Lr = parse.GetValue(Lr) ?? preset?.Lr ?? defaults.Lr,
            WeightDecay = parse.GetValue(WeightDecay) ?? preset?.WeightDecay ?? defaults.WeightDecay,
            GradClip = parse.GetValue(GradClip) ?? defaults.GradClip,
            TotalSteps = parse.GetValue(Steps) ?? defaults.TotalSteps,
            WarmupSteps = parse.GetValue(Warmup) ?? defaults.WarmupSteps,
            BatchSize = parse.GetValue(BatchSize) ?? defaults.BatchSize,
            GradAccumulation = parse.GetValue(GradAccumulation) ?? defaults.GradAccumulation,
            Seed = parse.GetValue(Seed),
            Mode = Choices.Mode.Parse(parse.GetValue(Mode)!),
            InitialCoefficients = StartingPoint(optimizer, coefficients ?? GivenCoefficients(parse)),
        };
        return new RunSettings
        {
            Model = ModelOf(parse),
            Width = parse.GetValue(Width),
            Layers = parse.GetValue(Layers),
            Heads = parse.GetValue(Heads),
            Context = parse.GetValue(Context),
            Data = parse.GetValue(Data),
            Trainer = trainer,
            EvalEvery = parse.GetValue(EvalEvery),
            EvalBatches = parse.GetValue(EvalBatches),
            CheckpointEvery = parse.GetValue(CheckpointEvery),
            OutputDirectory = outputDirectory,
            ResumeFrom = resumeFrom,
        };
    }

    /// <summary>The coefficients given by --beta1 ... --gamma, in <see cref="Coefficient"/> order.</summary>
    private List<(Coefficient Coefficient, double Value)> GivenCoefficients(ParseResult parse) =>
        InitialCoefficients
            .Select((option, index) => (Coefficient: (Coefficient)index, Value: parse.GetValue(option)))
            .Where(given => given.Value.HasValue)
            .Select(given => (given.Coefficient, given.Value!.Value))
            .ToList();

    /// <summary>
    /// The preset's coefficients with <paramref name="given"/> put in, checked against
    /// <paramref name="optimizer"/>'s bounds; null when none is given.
    /// </summary>
    /// <exception cref="CliException">The optimizer has no coefficients, or one lies outside its bounds (the message names the flag, the bounds and the optimizer).</exception>
    public Coefficients? StartingPoint(OptimizerKind optimizer, IReadOnlyList<(Coefficient Coefficient, double Value)> given)
    {
        if (given.Count == 0)
        {
            return null;
        }
        if (!optimizer.IsMadaFamily())
        {
            throw new CliException(
                $"{FlagOf(given[0].Coefficient)} sets a MADA coefficient, but {Choices.Optimizer.NameOf(optimizer)} is not of the MADA family.");
        }
        var preset = optimizer.Preset();
        double[] values = preset.InitialCoefficients.ToArray();
        foreach (var (coefficient, value) in given)
        {
            values[(int)coefficient] = value;
        }
        var start = Coefficients.FromSpan(values);
        try
        {
            // The library's own check of a start against the bounds (refused, never clamped), here
            // before anything is written, in terms of the flags instead of its names (q0.beta1).
            (preset with { InitialCoefficients = start }).Validate();
        }
        catch (ArgumentException error)
        {
            throw new CliException($"{InFlagTerms(error.Message)} (the bounds of {Choices.Optimizer.NameOf(optimizer)})");
        }
        return start;
    }

    /// <summary>The flag of a coefficient: --beta1 ... --gamma.</summary>
    public string FlagOf(Coefficient coefficient) => InitialCoefficients[(int)coefficient].Name;

    /// <summary>The recorded setting of a coefficient's flag (index <paramref name="index"/> of <see cref="InitialCoefficients"/>): the start the run took, given or the preset's.</summary>
    private static RunSetting CoefficientSetting(Option<double?> flag, int index)
    {
        var coefficient = (Coefficient)index;
        return new RunSetting(flag, $"q0.{coefficient.ToString().ToLowerInvariant()}", info => info.StartingCoefficients()?[coefficient]);
    }

    private static Option<double?> Coefficient(string name, string meaning) =>
        NumberOptions.OptionalReal(name, $"Initial {meaning} [default: the optimizer's]", "value");
}
