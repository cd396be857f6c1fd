using Mada.Tests.Checkpoints;
using Mada.Tests.Infrastructure;

namespace Mada.Tests.Training;

/// <summary>Trainer options are checked by the library when the trainer is created; the message names the bad one.</summary>
public sealed class InvalidTrainerOptionsTests : LeakCheckedTest
{

    public static TheoryData<string, TrainerOptions> BadOptions => new()
    {
        { "lr", TrainerOptions.Default with { Lr = -1e-3 } },
        { "total_steps", TrainerOptions.Default with { TotalSteps = 0 } },
        { "warmup_steps", TrainerOptions.Default with { WarmupSteps = 1000 } },
        { "batch_size", TrainerOptions.Default with { BatchSize = 0 } },
        { "grad_accumulation", TrainerOptions.Default with { GradAccumulation = 0 } },
        { "min_lr_ratio", TrainerOptions.Default with { MinLrRatio = 2 } },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void ABadOptionIsRefusedWithANativeMessageNamingIt(string field, TrainerOptions options)
    {
        using var tiny = new TinyModel();

        var error = NativeFailure.Expect<ArgumentException>(() => new Trainer(tiny.Model, tiny.Dataset, options).Dispose());

        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownOptimizerKindIsRefused()
    {
        using var tiny = new TinyModel();
        var options = TrainerOptions.Default with { Optimizer = (OptimizerKind)42 };

        NativeFailure.Expect<ArgumentException>(() => new Trainer(tiny.Model, tiny.Dataset, options).Dispose());
    }

    [Fact]
    public void NegativeEvaluationBatchesAreOutOfRange()
    {
        using var tiny = new TinyModel();
        using var trainer = new Trainer(tiny.Model, tiny.Dataset, TrainerOptions.Default);

        NativeFailure.Expect<ArgumentOutOfRangeException>(() => trainer.Evaluate(-1));
    }

    /// <summary>An MLP on a Fashion-MNIST folder in miniature.</summary>
    private sealed class TinyModel : IDisposable
    {
        private readonly TemporaryDirectory directory = new();

        public TinyModel()
        {
            TinyFashionMnist.Write(directory.Path, trainImages: 10, testImages: 10);
            Dataset = Dataset.FashionMnist(directory.Path);
            Model = Model.Create(ModelKind.Mlp, Dataset, width: 8);
        }

        public Dataset Dataset { get; }

        public Model Model { get; }

        public void Dispose()
        {
            Model.Dispose();
            Dataset.Dispose();
            directory.Dispose();
        }
    }
}
