using System.Text;
using Mada.Tests.Checkpoints;
using Mada.Tests.Infrastructure;

namespace Mada.Tests.Training;

/// <summary>The data loaders on small files the tests write: a UTF-8 text and a Fashion-MNIST folder in miniature.</summary>
public sealed class DatasetTests : LeakCheckedTest
{
    /// <summary>Three bytes, two bytes, four bytes and ASCII: the corpus counts code points, not bytes.</summary>
    private const string Verse = "In the beginning ✓ was the wörd 𝄞. ";

    [Fact]
    public void TextIsCutIntoCodePointsWithTheTailHeldOut()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("tiny.txt");
        string text = string.Concat(Enumerable.Repeat(Verse, 20));
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        int[] codePoints = text.EnumerateRunes().Select(rune => rune.Value).ToArray();
        const long Context = 8;

        using var dataset = Dataset.Text(path, Context, validationFraction: 0.25);
        var info = dataset.Info;

        long heldOut = (long)(codePoints.Length * 0.25);
        Assert.True(info.IsText);
        Assert.Equal(codePoints.Distinct().Count(), info.Classes);
        Assert.Equal(codePoints.Length - heldOut, info.TrainSize);
        Assert.Equal((heldOut - 1) / Context, info.EvalSize);
        Assert.Equal(Context, info.Context);
    }

    [Fact]
    public void ATinyGptTrainsOnATinyText()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("tiny.txt");
        File.WriteAllText(path, string.Concat(Enumerable.Repeat(Verse, 20)));
        using var dataset = Dataset.Text(path, context: 8);
        using var model = Model.Create(ModelKind.Gpt, dataset, width: 16, layers: 1, heads: 2, seed: 3);
        using var trainer = new Trainer(model, dataset, TrainerOptions.Default with { TotalSteps = 20, BatchSize = 4, Lr = 1e-2 });

        var first = trainer.Step();
        for (int i = 1; i < 19; i++)
        {
            trainer.Step();
        }
        var last = trainer.Step();

        Assert.Equal(20, last.Step);
        Assert.True(last.Loss < first.Loss, $"loss went from {first.Loss} to {last.Loss}");
        Assert.True(trainer.Evaluate().Examples > 0);
    }

    [Fact]
    public void FashionMnistReadsGzippedIdxFilesAndKeepsTheTrainLimit()
    {
        using var directory = new TemporaryDirectory();
        TinyFashionMnist.Write(directory.Path, trainImages: 30, testImages: 12);

        using var all = Dataset.FashionMnist(directory.Path);
        using var limited = Dataset.FashionMnist(directory.Path, trainLimit: 7);

        Assert.Equal(new DatasetInfo(IsText: false, Classes: 10, TrainSize: 30, EvalSize: 12, Context: 0), all.Info);
        Assert.Equal(7, limited.Info.TrainSize);
        Assert.Equal(12, limited.Info.EvalSize);
    }

    [Fact]
    public void ACnnTrainsAndEvaluatesOnTheTinyFolder()
    {
        using var directory = new TemporaryDirectory();
        TinyFashionMnist.Write(directory.Path, trainImages: 30, testImages: 12);
        using var dataset = Dataset.FashionMnist(directory.Path);
        using var model = Model.Create(ModelKind.Cnn, dataset, width: 4);
        using var trainer = new Trainer(model, dataset, TrainerOptions.Default with { TotalSteps = 3, BatchSize = 5 });

        var steps = Enumerable.Range(0, 3).Select(_ => trainer.Step()).ToList();

        Assert.Equal(3, steps[^1].Step);
        var eval = trainer.Evaluate();
        Assert.Equal(12, eval.Examples);
        Assert.InRange(eval.Accuracy, 0, 1);
    }

    [Fact]
    public void AMissingFashionMnistFileIsAnIOErrorNamingIt()
    {
        using var directory = new TemporaryDirectory();
        TinyFashionMnist.Write(directory.Path, trainImages: 10, testImages: 10);
        File.Delete(Path.Combine(directory.Path, "t10k-labels-idx1-ubyte.gz"));

        var error = NativeFailure.Expect<IOException>(() => Dataset.FashionMnist(directory.Path).Dispose());

        Assert.Contains("t10k-labels-idx1-ubyte", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingTextFileIsAnIOError()
    {
        using var directory = new TemporaryDirectory();

        NativeFailure.Expect<IOException>(() => Dataset.Text(directory.File("absent.txt"), context: 8).Dispose());
    }

    [Fact]
    public void TextThatIsNotUtf8OrTooShortIsRefused()
    {
        using var directory = new TemporaryDirectory();
        string latin1 = directory.File("latin1.txt");
        File.WriteAllBytes(latin1, [.. Enumerable.Repeat((byte)'a', 100), 0xE9, .. Enumerable.Repeat((byte)'b', 100)]);
        string tiny = directory.File("tiny.txt");
        File.WriteAllText(tiny, "too short");

        NativeFailure.Expect<ArgumentException>(() => Dataset.Text(latin1, context: 8).Dispose());
        NativeFailure.Expect<ArgumentException>(() => Dataset.Text(tiny, context: 8).Dispose());
    }

    [Fact]
    public void ModelsMustFitTheirData()
    {
        using var directory = new TemporaryDirectory();
        TinyFashionMnist.Write(directory.Path, trainImages: 10, testImages: 10);
        using var images = Dataset.FashionMnist(directory.Path);

        NativeFailure.Expect<ArgumentException>(() => Model.Create(ModelKind.Gpt, images).Dispose());
    }
}
