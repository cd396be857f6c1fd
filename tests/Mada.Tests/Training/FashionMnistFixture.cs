namespace Mada.Tests.Training;

/// <summary>
/// Debian's Fashion-MNIST (./build.sh setup installs dataset-fashion-mnist), loaded once for the
/// tests that train on real images: reading the files takes seconds.
/// </summary>
public sealed class FashionMnistFixture : IDisposable
{
    /// <summary>Enough images for a short run to learn, few enough that nothing is slow.</summary>
    public const long TrainLimit = 5000;

    public Dataset Dataset { get; } = Dataset.FashionMnist(trainLimit: TrainLimit);

    public void Dispose() => Dataset.Dispose();
}

[CollectionDefinition(Name)]
public sealed class FashionMnistCollection : ICollectionFixture<FashionMnistFixture>
{
    public const string Name = "Fashion-MNIST";
}
