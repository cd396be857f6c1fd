using Mada.Tests.Infrastructure;

namespace Mada.Tests.Training;

/// <summary>Training real models on real data through the façade: one native call per step.</summary>
[Collection(FashionMnistCollection.Name)]
public sealed class TrainingTests(FashionMnistFixture data) : LeakCheckedTest
{
    private const long EvalBatches = 20;

    public static TheoryData<OptimizerKind> AllOptimizers => new(Enum.GetValues<OptimizerKind>());

    [Theory]
    [InlineData(OptimizerKind.Mada)]
    [InlineData(OptimizerKind.Adam)]
    public void AShortRunLowersTheEvalLoss(OptimizerKind optimizer)
    {
        using var model = Model.Create(ModelKind.Mlp, data.Dataset, width: 64, seed: 1);
        using var trainer = new Trainer(model, data.Dataset, TrainerOptions.Default with { Optimizer = optimizer, TotalSteps = 150 });

        var before = trainer.Evaluate(EvalBatches);
        for (int i = 0; i < trainer.Options.TotalSteps; i++)
        {
            trainer.Step();
        }
        var after = trainer.Evaluate(EvalBatches);

        Assert.Equal(EvalBatches * trainer.Options.BatchSize, after.Examples);
        // An untrained 10-class model sits near ln 10 = 2.30 and 10% accuracy.
        Assert.InRange(before.Loss, 2.0, 2.6);
        Assert.True(after.Loss < 0.75 * before.Loss, $"eval loss went from {before.Loss} to {after.Loss}");
        Assert.True(after.Accuracy > 0.6, $"eval accuracy after training: {after.Accuracy}");
    }

    /// <summary>mada.h: has_coefficients is set for the MADA family (the eight presets) only.</summary>
    [Theory]
    [MemberData(nameof(AllOptimizers))]
    public void EveryOptimizerStepsAndReportsCoefficientsOnlyForTheMadaFamily(OptimizerKind optimizer)
    {
        using var model = Model.Create(ModelKind.Mlp, data.Dataset, width: 32, seed: 2);
        using var trainer = new Trainer(model, data.Dataset, TrainerOptions.Default with { Optimizer = optimizer, TotalSteps = 10 });

        var steps = Enumerable.Range(0, 3).Select(_ => trainer.Step()).ToList();

        Assert.Equal([1L, 2L, 3L], steps.Select(step => step.Step));
        Assert.All(steps, step =>
        {
            Assert.True(double.IsFinite(step.Loss) && step.Loss > 0, $"loss {step.Loss}");
            Assert.True(step.GradNorm > 0, $"grad norm {step.GradNorm}");
            Assert.Equal(optimizer.IsMadaFamily(), step.Coefficients.HasValue);
            Assert.Equal(optimizer.IsMadaFamily(), step.Hypergradient.HasValue);
        });
    }

    /// <summary>The training loop costs one native call a step and nothing on the managed heap: the metrics are structs.</summary>
    [Fact]
    public void StepAndEvaluateAllocateNoManagedMemoryOnceWarm()
    {
        using var model = Model.Create(ModelKind.Mlp, data.Dataset, width: 16);
        using var trainer = new Trainer(model, data.Dataset, TrainerOptions.Default with { TotalSteps = 30, BatchSize = 8 });
        trainer.Step();
        trainer.Evaluate(1);

        long before = GC.GetAllocatedBytesForCurrentThread();
        double lossSum = 0;
        for (int i = 0; i < 20; i++)
        {
            lossSum += trainer.Step().Loss;
        }
        lossSum += trainer.Evaluate(1).Loss;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(double.IsFinite(lossSum));
    }

    /// <summary>The schedule: a linear warm-up to the peak lr, then a cosine down to lr x min_lr_ratio at the last step.</summary>
    [Fact]
    public void TheLearningRateWarmsUpThenFollowsTheCosineToItsFloor()
    {
        var options = TrainerOptions.Default with { Optimizer = OptimizerKind.Adam, Lr = 1e-3, WarmupSteps = 4, TotalSteps = 12, BatchSize = 8 };
        using var model = Model.Create(ModelKind.Mlp, data.Dataset, width: 16);
        using var trainer = new Trainer(model, data.Dataset, options);

        double[] lrs = Enumerable.Range(0, 12).Select(_ => trainer.Step().Lr).ToArray();

        Assert.Equal(Enumerable.Range(1, 4).Select(step => options.Lr * step / options.WarmupSteps), lrs[..4]);
        Assert.All(lrs[3..].Zip(lrs[4..]), pair => Assert.True(pair.First > pair.Second, $"the cosine falls: {pair}"));
        Assert.Equal(options.Lr * options.MinLrRatio, lrs[^1], 1e-15);
    }

    [Fact]
    public void TheFirstStepUsesTheGivenInitialCoefficients()
    {
        var start = new Coefficients(0.8, 0.9, 0.25, 0.5, 0.75, 0.5);
        using var model = Model.Create(ModelKind.Mlp, data.Dataset, width: 16);
        using var trainer = new Trainer(model, data.Dataset, TrainerOptions.Default with { InitialCoefficients = start, TotalSteps = 5 });

        Assert.Equal(start, trainer.Step().Coefficients);
    }

    /// <summary>
    /// A trainer's coefficients: before the first step the start it was given; then those the last
    /// update used (they learn under MADA, so they leave the start), with that update's hypergradient.
    /// </summary>
    [Fact]
    public void ATrainersCoefficientsAreItsStartThenThoseOfItsLastUpdate()
    {
        var start = new Coefficients(0.8, 0.9, 0.25, 0.5, 0.75, 0.5);
        using var model = Model.Create(ModelKind.Mlp, data.Dataset, width: 16);
        using var trainer = new Trainer(model, data.Dataset, TrainerOptions.Default with { InitialCoefficients = start, TotalSteps = 20 });

        Assert.Equal(start, trainer.Coefficients);
        Assert.Equal(default(Coefficients), trainer.Hypergradient);
        StepMetrics last = default;
        for (int i = 0; i < 10; i++)
        {
            last = trainer.Step();
            Assert.Equal(last.Coefficients, trainer.Coefficients);
            Assert.Equal(last.Hypergradient, trainer.Hypergradient);
        }
        Assert.NotEqual(start, trainer.Coefficients);
    }

    /// <summary>Without a MADA-family optimizer there are no coefficients; with a preset and no start given, the preset's start.</summary>
    [Theory]
    [InlineData(OptimizerKind.Sgd)]
    [InlineData(OptimizerKind.Lion)]
    public void ATrainersCoefficientsBeforeItsFirstStepAreItsOptimizersStart(OptimizerKind optimizer)
    {
        using var model = Model.Create(ModelKind.Mlp, data.Dataset, width: 16);
        using var trainer = new Trainer(model, data.Dataset, TrainerOptions.Default with { Optimizer = optimizer, TotalSteps = 5 });

        Assert.Equal(optimizer.IsMadaFamily() ? optimizer.Preset().InitialCoefficients : (Coefficients?)null, trainer.Coefficients);
        Assert.Equal(trainer.Step().Coefficients, trainer.Coefficients);
    }

    /// <summary>
    /// The coefficients are read from the native optimizer, so after a Load they are the
    /// checkpoint's at once (the trainer's steps after the save moved them).
    /// </summary>
    [Fact]
    public void AfterALoadTheCoefficientsAreTheCheckpoints()
    {
        using var directory = new Checkpoints.TemporaryDirectory();
        string checkpoint = directory.File("trainer.pt");
        using var model = Model.Create(ModelKind.Mlp, data.Dataset, width: 16);
        using var trainer = new Trainer(model, data.Dataset, TrainerOptions.Default with { TotalSteps = 10 });
        trainer.Step();
        var saved = trainer.Step();
        trainer.Save(checkpoint);
        trainer.Step();
        trainer.Step();
        Assert.NotEqual(saved.Coefficients, trainer.Coefficients);

        trainer.Load(checkpoint);

        Assert.Equal(saved.Coefficients, trainer.Coefficients);
        Assert.Equal(saved.Hypergradient, trainer.Hypergradient);
    }

    /// <summary>mada.h, mada_trainer_options_default: "MADA, lr 1e-3, batch 64, 1000 steps".</summary>
    [Fact]
    public void DefaultsAreTheHeaders()
    {
        var defaults = TrainerOptions.Default;

        Assert.Equal(OptimizerKind.Mada, defaults.Optimizer);
        Assert.Equal(1e-3, defaults.Lr);
        Assert.Equal(64, defaults.BatchSize);
        Assert.Equal(1000, defaults.TotalSteps);
        Assert.Equal(1, defaults.GradAccumulation);
        Assert.Null(defaults.InitialCoefficients);
        Assert.Equal(Mode.Paper, defaults.Mode);
    }

    [Fact]
    public void ModelsReportTheirParameterCount()
    {
        // MLP 784 -> 64 -> 32 -> 10, weights and biases.
        using var model = Model.Create(ModelKind.Mlp, data.Dataset, width: 64);

        Assert.Equal(784 * 64 + 64 + 64 * 32 + 32 + 32 * 10 + 10, model.ParameterCount);
        Assert.Equal(ModelKind.Mlp, model.Kind);
    }
}
