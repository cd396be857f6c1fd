using Mada.Tests.Checkpoints;
using Mada.Tests.Infrastructure;

namespace Mada.Tests.Training;

/// <summary>
/// mada.h's mada_distributed_options from C#: two trainers of one run (here two threads of this
/// process, meeting at a file store) take the same steps bit for bit, from rank 0's weights.
/// The native tests (mada_distributed_tests) cover separate processes, dead and hung ranks.
/// </summary>
[Collection(FashionMnistCollection.Name)]
public sealed class DataParallelTests(FashionMnistFixture data) : LeakCheckedTest
{
    [Fact]
    public void TheDefaultsComeFromTheLibraryAndTrainAlone()
    {
        var distributed = TrainerOptions.Default.Distributed;

        Assert.Equal(0, distributed.Rank);
        Assert.Equal(1, distributed.WorldSize);
        Assert.Null(distributed.Store);
        Assert.True(distributed.TimeoutSeconds > 0);
    }

    /// <summary>
    /// The ranks check at step 1 that their parameters agree (a DistributedTrainingException if
    /// not), so both starting from rank 0's weights is checked too; and two ranks of batch 16 are one
    /// process of batch 32 up to float reduction order (see the native test for the tolerance).
    /// </summary>
    [Fact]
    public async Task TwoRanksTakeTheSameStepsAsOneProcessWithTheirTwoBatches()
    {
        using var directory = new TemporaryDirectory();
        string store = "file:" + directory.File("store");
        var options = TrainerOptions.Default with { TotalSteps = 6, WarmupSteps = 1, BatchSize = 16, Seed = 3 };

        // Each rank builds its model from another seed: the trainer starts both from rank 0's.
        var ranks = Enumerable.Range(0, 2).Select(rank => Task.Run(() =>
        {
            var own = options with { Distributed = options.Distributed with { Rank = rank, WorldSize = 2, Store = store, TimeoutSeconds = 60, CheckEvery = 1 } };
            return Train(own, modelSeed: (ulong)(10 + rank));
        })).ToArray();
        var results = await Task.WhenAll(ranks).WaitAsync(TimeSpan.FromMinutes(2));
        var single = Train(options with { BatchSize = 32 }, modelSeed: 10);

        Assert.Equal(results[0], results[1]);
        for (int i = 0; i < single.Count; i++)
        {
            Assert.Equal(single[i].Step, results[0][i].Step);
            Assert.Equal(single[i].Loss, results[0][i].Loss, 1e-6 * single[i].Loss);
            Assert.Equal(single[i].GradNorm, results[0][i].GradNorm, 1e-6 * single[i].GradNorm);
            Assert.Equal(single[i].Coefficients!.Value.Beta1, results[0][i].Coefficients!.Value.Beta1, 1e-8);
        }
    }

    /// <summary>ShardState reaches the library: each rank then keeps half the state and both still take the unsharded steps.</summary>
    [Fact]
    public async Task ShardedRanksTakeTheStepsOfUnshardedOnes()
    {
        using var directory = new TemporaryDirectory();
        var options = TrainerOptions.Default with { TotalSteps = 4, WarmupSteps = 1, BatchSize = 16, Seed = 3 };

        async Task<List<StepMetrics>[]> Pair(bool sharded, string store) =>
            await Task.WhenAll(Enumerable.Range(0, 2).Select(rank => Task.Run(() => Train(
                options with
                {
                    Distributed = options.Distributed with
                    {
                        Rank = rank, WorldSize = 2, Store = "file:" + directory.File(store), TimeoutSeconds = 60, CheckEvery = 1, ShardState = sharded,
                    },
                },
                modelSeed: 10)))).WaitAsync(TimeSpan.FromMinutes(2));
        var sharded = await Pair(true, "sharded");
        var whole = await Pair(false, "whole");

        Assert.True(TrainerOptions.Default.Distributed.ShardState is false);
        Assert.Equal(sharded[0], sharded[1]);
        for (int i = 0; i < whole[0].Count; i++)
        {
            Assert.Equal(whole[0][i].Loss, sharded[0][i].Loss, 1e-6 * whole[0][i].Loss);
            Assert.Equal(whole[0][i].Coefficients!.Value.Beta2, sharded[0][i].Coefficients!.Value.Beta2, 1e-8);
        }
    }

    [Fact]
    public void AShardedStateOutsideTheMadaFamilyIsRefused()
    {
        using var directory = new TemporaryDirectory();
        var options = TrainerOptions.Default with
        {
            Optimizer = OptimizerKind.Sgd,
            Distributed = TrainerOptions.Default.Distributed with { WorldSize = 2, Store = "file:" + directory.File("s"), ShardState = true },
        };
        using var model = Model.Create(ModelKind.Mlp, data.Dataset, width: 16);

        var error = Assert.Throws<NotSupportedException>(() => new Trainer(model, data.Dataset, options));
        Assert.Contains("MADA family", error.Message, StringComparison.Ordinal);
    }

    private List<StepMetrics> Train(TrainerOptions options, ulong modelSeed)
    {
        using var model = Model.Create(ModelKind.Mlp, data.Dataset, width: 32, seed: modelSeed);
        using var trainer = new Trainer(model, data.Dataset, options);
        return Enumerable.Range(0, (int)options.TotalSteps).Select(_ => trainer.Step()).ToList();
    }

    [Fact]
    public void ABadStoreIsRefusedByName()
    {
        var options = TrainerOptions.Default with
        {
            Distributed = TrainerOptions.Default.Distributed with { WorldSize = 2, Store = "http://example:1" },
        };
        using var model = Model.Create(ModelKind.Mlp, data.Dataset, width: 16);

        var error = Assert.Throws<ArgumentException>(() => new Trainer(model, data.Dataset, options));
        Assert.Contains("http://example:1", error.Message, StringComparison.Ordinal);
    }
}
