using Mada.Tests.Checkpoints;
using Mada.Tests.Infrastructure;
using Mada.Tests.Vectors;

namespace Mada.Tests.Engine;

/// <summary>An engine saved and restored continues exactly as one never interrupted; a bad checkpoint changes nothing.</summary>
public sealed class EngineCheckpointTests : LeakCheckedTest
{
    private const int SaveAt = 5;

    public static TheoryData<string> Files => ["paper_mada_from_adam.json", "mada_mid_gradclip.json"];

    [Theory]
    [MemberData(nameof(Files))]
    public void BytesResumeBitExactly(string name) =>
        AssertResumeIsExact(name, (engine, _) => engine.SaveToBytes(), (engine, saved, _) => engine.LoadFromBytes((byte[])saved));

    [Theory]
    [MemberData(nameof(Files))]
    public void FileResumesBitExactly(string name)
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("engine.mada");
        AssertResumeIsExact(
            name,
            (engine, _) =>
            {
                engine.Save(path);
                return path;
            },
            (engine, saved, _) => engine.Load((string)saved));
        // The file holds what SaveToBytes gives: one format.
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void FileAndBytesHoldTheSameCheckpoint()
    {
        using var directory = new TemporaryDirectory();
        using var run = EngineVectorRun.Start(TestVectors.PaperMode);
        run.Steps(1, SaveAt);

        run.Engine.Save(directory.File("engine.mada"));

        Assert.Equal(run.Engine.SaveToBytes(), File.ReadAllBytes(directory.File("engine.mada")));
    }

    [Theory]
    [MemberData(nameof(CheckpointFailureTests.Corruptions), MemberType = typeof(CheckpointFailureTests))]
    public void CorruptBytesAreACheckpointExceptionAndChangeNothing(string corruption)
    {
        byte[] good;
        using (var source = EngineVectorRun.Start(TestVectors.AllLearningWithClipping))
        {
            source.Steps(1, 2 * SaveAt);
            good = source.Engine.SaveToBytes();
        }
        byte[] bad = CheckpointFailureTests.Corrupt(good, corruption);

        AssertFailedLoadChangesNothing(run => NativeFailure.Expect<CheckpointException>(() => run.Engine.LoadFromBytes(bad)));
    }

    [Fact]
    public void CheckpointOfOtherSizesIsRefused()
    {
        byte[] otherSizes;
        using (var other = new MadaEngine(VectorRun.OptionsFor(TestVectors.AllLearningWithClipping)))
        {
            other.AddGroup([3]);
            otherSizes = other.SaveToBytes();
        }

        AssertFailedLoadChangesNothing(run => NativeFailure.Expect<CheckpointException>(() => run.Engine.LoadFromBytes(otherSizes)));
    }

    [Fact]
    public void CheckpointOfTheTensorOptimizerIsNotAnEngineCheckpoint()
    {
        byte[] optimizerCheckpoint;
        using (var optimizer = VectorRun.Start(TestVectors.AllLearningWithClipping))
        {
            optimizer.Steps(1, SaveAt);
            optimizerCheckpoint = optimizer.Optimizer.SaveToBytes();
        }

        AssertFailedLoadChangesNothing(run => NativeFailure.Expect<CheckpointException>(() => run.Engine.LoadFromBytes(optimizerCheckpoint)));
    }

    [Fact]
    public void LoadingAMissingFileIsAnIOExceptionAndChangesNothing()
    {
        using var directory = new TemporaryDirectory();
        string missing = directory.File("does-not-exist.mada");

        AssertFailedLoadChangesNothing(run => NativeFailure.Expect<IOException>(() => run.Engine.Load(missing)));
    }

    /// <summary>
    /// Runs the file to the end uninterrupted; separately runs to <see cref="SaveAt"/>, saves, and
    /// continues from a fresh engine on the saved parameters after loading. Both must end identical.
    /// </summary>
    private static void AssertResumeIsExact(
        string name, Func<MadaEngine, int, object> save, Action<MadaEngine, object, int> load)
    {
        var file = VectorFile.Load(Path.Combine(RepoLayout.VectorsDirectory, name));
        int last = Math.Min(file.Steps.Count, 3 * SaveAt);
        using var uninterrupted = EngineVectorRun.Start(file);
        uninterrupted.Steps(1, last);

        object saved;
        IReadOnlyList<float[]> parametersAtSave;
        RunState stateAtSave;
        using (var first = EngineVectorRun.Start(file))
        {
            first.Steps(1, SaveAt);
            saved = save(first.Engine, SaveAt);
            parametersAtSave = first.Parameters.Select(p => p.ToArray()).ToList();
            stateAtSave = first.Capture();
        }

        using var resumed = EngineVectorRun.Start(file, startValues: parametersAtSave);
        load(resumed.Engine, saved, SaveAt);
        resumed.Capture().AssertIdenticalTo(stateAtSave, $"{name}: right after loading");
        resumed.Steps(SaveAt + 1, last);
        resumed.Capture().AssertIdenticalTo(uninterrupted.Capture(), $"{name}: at step {last}");
    }

    private static void AssertFailedLoadChangesNothing(Action<EngineVectorRun> failedLoad)
    {
        var file = TestVectors.AllLearningWithClipping;
        using var run = EngineVectorRun.Start(file);
        using var twin = EngineVectorRun.Start(file);
        run.Steps(1, SaveAt);
        twin.Steps(1, SaveAt);
        var before = run.Capture();

        failedLoad(run);

        run.Capture().AssertIdenticalTo(before, "right after the failed load");
        run.Steps(SaveAt + 1, 2 * SaveAt);
        twin.Steps(SaveAt + 1, 2 * SaveAt);
        run.Capture().AssertIdenticalTo(twin.Capture(), "after continuing");
    }
}
