using Mada.Native;
using Mada.Tests.Checkpoints;
using Mada.Tests.Infrastructure;

namespace Mada.Tests.Lifetime;

/// <summary>A trainer holds its model and dataset open: disposing them first is safe, and they are destroyed with the trainer.</summary>
public sealed class TrainerLifetimeTests : LeakCheckedTest
{
    [Fact]
    public void ATrainerKeepsItsModelAndDatasetAliveUntilItIsDisposed()
    {
        using var directory = new TemporaryDirectory();
        TinyFashionMnist.Write(directory.Path, trainImages: 10, testImages: 5);
        long live = HandleCensus.LiveCount;
        var dataset = Dataset.FashionMnist(directory.Path);
        var model = Model.Create(ModelKind.Mlp, dataset, width: 8);
        var trainer = new Trainer(model, dataset, TrainerOptions.Default with { BatchSize = 4 });

        model.Dispose();
        dataset.Dispose();

        Assert.Equal(live + 3, HandleCensus.LiveCount);
        Assert.Equal(1, trainer.Step().Step);
        Assert.Equal(5, trainer.Evaluate().Examples);
        Assert.Throws<ObjectDisposedException>(() => model.ParameterCount);
        Assert.Throws<ObjectDisposedException>(() => dataset.Info);

        trainer.Dispose();
        Assert.Equal(live, HandleCensus.LiveCount);
    }

    /// <summary>
    /// The model and dataset a trainer exposes are its own handles on the objects it keeps alive:
    /// they work after the caller disposed the ones it passed in, until the trainer is disposed.
    /// </summary>
    [Fact]
    public void ATrainersModelAndDatasetStayUsableAfterTheCallerDisposedItsOwn()
    {
        using var directory = new TemporaryDirectory();
        TinyFashionMnist.Write(directory.Path, trainImages: 10, testImages: 5);
        var dataset = Dataset.FashionMnist(directory.Path);
        var model = Model.Create(ModelKind.Mlp, dataset, width: 8);
        long parameters = model.ParameterCount;
        var info = dataset.Info;
        var trainer = new Trainer(model, dataset, TrainerOptions.Default with { BatchSize = 4 });

        model.Dispose();
        dataset.Dispose();

        Assert.Equal(parameters, trainer.Model.ParameterCount);
        Assert.Equal(ModelKind.Mlp, trainer.Model.Kind);
        Assert.Equal(info, trainer.Dataset.Info);
        trainer.Step();
        Assert.Equal(parameters, trainer.Model.ParameterCount);

        trainer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => trainer.Model.ParameterCount);
        Assert.Throws<ObjectDisposedException>(() => trainer.Dataset.Info);
    }

    [Fact]
    public void DisposedObjectsRefuseEveryCall()
    {
        using var directory = new TemporaryDirectory();
        TinyFashionMnist.Write(directory.Path, trainImages: 10, testImages: 5);
        var dataset = Dataset.FashionMnist(directory.Path);
        var model = Model.Create(ModelKind.Mlp, dataset, width: 8);
        var trainer = new Trainer(model, dataset, TrainerOptions.Default);
        trainer.Dispose();
        model.Dispose();
        dataset.Dispose();

        Assert.Throws<ObjectDisposedException>(() => trainer.Step());
        Assert.Throws<ObjectDisposedException>(() => trainer.Evaluate());
        Assert.Throws<ObjectDisposedException>(() => trainer.Save(directory.File("never.pt")));
        Assert.Throws<ObjectDisposedException>(() => trainer.Load(directory.File("never.pt")));
        Assert.Throws<ObjectDisposedException>(() => new Trainer(model, dataset, TrainerOptions.Default));
        Assert.Throws<ObjectDisposedException>(() => Model.Create(ModelKind.Mlp, dataset));
        Assert.False(File.Exists(directory.File("never.pt")));
    }

    [Fact]
    public void DisposingTwiceDestroysOnce()
    {
        using var directory = new TemporaryDirectory();
        TinyFashionMnist.Write(directory.Path, trainImages: 10, testImages: 5);
        long live = HandleCensus.LiveCount;
        var dataset = Dataset.FashionMnist(directory.Path);
        var model = Model.Create(ModelKind.Mlp, dataset, width: 8);
        var trainer = new Trainer(model, dataset, TrainerOptions.Default);

        for (int i = 0; i < 2; i++)
        {
            trainer.Dispose();
            model.Dispose();
            dataset.Dispose();
        }

        Assert.Equal(live, HandleCensus.LiveCount);
    }
}
