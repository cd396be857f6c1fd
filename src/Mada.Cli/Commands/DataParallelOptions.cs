using System.CommandLine;
using Mada.Cli.Training;

namespace Mada.Cli.Commands;

/// <summary>
/// <c>mada train</c>'s data-parallel options: --procs N starts N local ranks of this command (as
/// torchrun does); --rank, --world-size and --store make this process one rank of a run started
/// elsewhere (other machines included).
/// </summary>
internal sealed class DataParallelOptions
{
    public Option<long> Procs { get; } = NumberOptions.Whole(
        "--procs", "Train data-parallel in this many local processes, each on --batch-size rows of every step's batch", minimum: 1, defaultValue: 1);

    public Option<long?> Rank { get; } = NumberOptions.OptionalWhole("--rank", "This process's rank in a data-parallel run [default: 0]", minimum: 0);

    public Option<long?> WorldSize { get; } = NumberOptions.OptionalWhole(
        "--world-size", "How many processes train together in a run joined with --rank [default: 1]", minimum: 1);

    public Option<string?> Store { get; } = new("--store")
    {
        Description = "Where the ranks meet: tcp://HOST:PORT (rank 0 listens), or file:PATH (one machine; across machines on a shared disk, set GLOO_SOCKET_IFNAME)",
        HelpName = "address",
    };

    public Option<double?> Timeout { get; } = NumberOptions.OptionalReal(
        "--timeout", "Seconds a rank waits for the others before the run fails [default: the library's]", "seconds");

    public Option<bool> ShardState { get; } = new("--shard-state")
    {
        Description = "Each rank keeps only its 1/N slice of the optimizer state (ZeRO stage 1; the MADA family)",
    };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Procs, Rank, WorldSize, Store, Timeout, ShardState })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The processes --procs asks this command to start (1: train here).</summary>
    /// <exception cref="CliException">--procs is given with the options that join a run started elsewhere.</exception>
    public int ProcessesToStart(ParseResult parse)
    {
        long procs = parse.GetValue(Procs);
        if (procs > 1 && (parse.GetValue(Rank) is not null || parse.GetValue(WorldSize) is not null || parse.GetValue(Store) is not null))
        {
            throw new CliException("--procs starts the ranks of a run here; --rank, --world-size and --store join a run started elsewhere: give one or the other.");
        }
        return (int)Math.Min(procs, 1024);
    }

    /// <summary>This process's place in a run, as --rank, --world-size, --store and --timeout say.</summary>
    /// <exception cref="CliException">A run of several processes without --store, or a rank outside it.</exception>
    public DistributedOptions Bind(ParseResult parse, DistributedOptions defaults)
    {
        long world = parse.GetValue(WorldSize) ?? defaults.WorldSize;
        long rank = parse.GetValue(Rank) ?? defaults.Rank;
        string? store = parse.GetValue(Store);
        if (world > 1 && store is null)
        {
            throw new CliException($"--world-size {world} needs --store, where the ranks meet (file:PATH or tcp://HOST:PORT).");
        }
        if (rank >= world)
        {
            throw new CliException($"--rank {rank} is not a rank of --world-size {world} (ranks 0 to {world - 1}).");
        }
        return defaults with
        {
            Rank = rank,
            WorldSize = world,
            Store = store,
            TimeoutSeconds = parse.GetValue(Timeout) ?? defaults.TimeoutSeconds,
            ShardState = parse.GetValue(ShardState),
        };
    }
}
