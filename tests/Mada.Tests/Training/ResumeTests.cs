using Mada.Tests.Checkpoints;
using Mada.Tests.Infrastructure;

namespace Mada.Tests.Training;

/// <summary>
/// mada.h: a trainer checkpoint holds model, optimizer and step count, and the batches of step s
/// depend on (seed, s) only; so save, load into another trainer and continue gives bit for bit
/// what an uninterrupted run gives.
/// </summary>
[Collection(FashionMnistCollection.Name)]
public sealed class ResumeTests(FashionMnistFixture data) : LeakCheckedTest
{
    private const int StepsBeforeSave = 6;
    private const int TotalSteps = 14;

    [Theory]
    [InlineData(OptimizerKind.Mada)]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.Sgd)]
    public void ResumingFromACheckpointIsBitIdentical(OptimizerKind optimizer)
    {
        var options = TrainerOptions.Default with { Optimizer = optimizer, TotalSteps = TotalSteps, WarmupSteps = 2, BatchSize = 32, Seed = 7 };
        using var directory = new TemporaryDirectory();
        string checkpoint = directory.File("trainer.pt");

        var (uninterruptedSteps, uninterruptedEval) = Train(options, modelSeed: 1, trainer =>
            Enumerable.Range(0, TotalSteps).Select(_ => trainer.Step()).ToList());

        Train(options, modelSeed: 1, trainer =>
        {
            for (int i = 0; i < StepsBeforeSave; i++)
            {
                trainer.Step();
            }
            trainer.Save(checkpoint);
            return new List<StepMetrics>();
        });
        // Another initialisation: everything the continued run needs must come from the checkpoint.
        var (resumedSteps, resumedEval) = Train(options, modelSeed: 99, trainer =>
        {
            trainer.Load(checkpoint);
            Assert.Equal(StepsBeforeSave, trainer.StepCount);
            return Enumerable.Range(0, TotalSteps - StepsBeforeSave).Select(_ => trainer.Step()).ToList();
        });

        Assert.Equal(uninterruptedSteps[StepsBeforeSave..], resumedSteps);
        Assert.Equal(BitConverter.DoubleToInt64Bits(uninterruptedEval.Loss), BitConverter.DoubleToInt64Bits(resumedEval.Loss));
        Assert.Equal(uninterruptedEval, resumedEval);
    }

    [Fact]
    public void ACheckpointOfAnotherModelIsRefusedAndChangesNothing()
    {
        var options = TrainerOptions.Default with { TotalSteps = 10, BatchSize = 16 };
        using var directory = new TemporaryDirectory();
        string checkpoint = directory.File("wide.pt");
        using (var wide = Model.Create(ModelKind.Mlp, data.Dataset, width: 32))
        using (var trainer = new Trainer(wide, data.Dataset, options))
        {
            trainer.Save(checkpoint);
        }

        using var narrow = Model.Create(ModelKind.Mlp, data.Dataset, width: 16);
        using var other = new Trainer(narrow, data.Dataset, options);
        var before = other.Evaluate(2);

        NativeFailure.Expect<CheckpointException>(() => other.Load(checkpoint));
        Assert.Equal(before, other.Evaluate(2));
        Assert.Equal(1, other.Step().Step);
    }

    private (List<StepMetrics> Steps, EvalMetrics Eval) Train(TrainerOptions options, ulong modelSeed, Func<Trainer, List<StepMetrics>> run)
    {
        using var model = Model.Create(ModelKind.Mlp, data.Dataset, width: 32, seed: modelSeed);
        using var trainer = new Trainer(model, data.Dataset, options);
        var steps = run(trainer);
        return (steps, trainer.Evaluate(4));
    }
}
