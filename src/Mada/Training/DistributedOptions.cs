using Mada.Native;

namespace Mada;

/// <summary>
/// Data-parallel training: this process is rank <see cref="Rank"/> of <see cref="WorldSize"/>
/// processes training one model together. Each rank trains on its own
/// <see cref="TrainerOptions.BatchSize"/> rows of a global batch of WorldSize × BatchSize rows,
/// and the gradients are averaged before every step, so all ranks take the same step. A rank
/// that stops, hangs past <see cref="TimeoutSeconds"/> or disagrees makes the others throw
/// <see cref="DistributedTrainingException"/> instead of hanging. Start from
/// <see cref="TrainerOptions.Default"/>'s <see cref="TrainerOptions.Distributed"/>.
/// </summary>
public sealed record DistributedOptions
{
    private mada_distributed_options native;

    private DistributedOptions()
    {
    }

    /// <summary>This process's rank, in [0, <see cref="WorldSize"/>).</summary>
    public long Rank
    {
        get => native.rank;
        init => native.rank = value;
    }

    /// <summary>How many processes train together; 1 (the default) trains alone.</summary>
    public long WorldSize
    {
        get => native.world_size;
        init => native.world_size = value;
    }

    /// <summary>
    /// Where the ranks meet: <c>file:PATH</c> (a file every rank can reach, absent at the start)
    /// or <c>tcp://HOST:PORT</c> (rank 0 listens there). Unused when <see cref="WorldSize"/> is 1.
    /// </summary>
    public string? Store { get; init; }

    /// <summary>Seconds a collective may wait for the other ranks before it fails.</summary>
    public double TimeoutSeconds
    {
        get => native.timeout_seconds;
        init => native.timeout_seconds = value;
    }

    /// <summary>Steps between checks that all ranks hold the same coefficients and parameters; 0 never checks.</summary>
    public long CheckEvery
    {
        get => native.check_every;
        init => native.check_every = value;
    }

    /// <summary>
    /// Each rank keeps and updates only its 1/<see cref="WorldSize"/> slice of the optimizer state
    /// (ZeRO stage 1): 48/WorldSize bytes per parameter instead of 48. The MADA family only;
    /// checkpoints still hold the whole state, and any world size resumes from them.
    /// </summary>
    public bool ShardState
    {
        get => native.shard_state != 0;
        init => native.shard_state = value ? 1 : 0;
    }

    internal static DistributedOptions FromNative(in mada_distributed_options native) =>
        new() { native = native with { store = null } };

    /// <summary>The native struct without its store, which the caller pins for the call that reads it.</summary>
    internal mada_distributed_options ToNative() => native;
}
