using Mada.Tests.Infrastructure;
using Mada.Tests.Vectors;

namespace Mada.Tests.Checkpoints;

/// <summary>
/// Saving after k steps, loading into a fresh optimizer over copies of the parameters and
/// continuing gives bit for bit what an uninterrupted run gives.
/// </summary>
public sealed class SaveLoadTests : LeakCheckedTest
{
    private const int StepsBeforeSave = 7;
    private const int TotalSteps = 20;

    public static TheoryData<string> Files => ["mada_mid_gradclip.json", "paper_mada_from_adam.json", "paper_adan_fixed.json"];

    [Theory]
    [MemberData(nameof(Files))]
    public void ResumingFromAFileIsBitIdentical(string vectorFile)
    {
        using var directory = new TemporaryDirectory();
        AssertResumeIsBitIdentical(vectorFile, run =>
        {
            string path = directory.File("checkpoint.mada");
            run.Optimizer.Save(path);
            return resumed => resumed.Optimizer.Load(path);
        });
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void ResumingFromBytesIsBitIdentical(string vectorFile)
    {
        AssertResumeIsBitIdentical(vectorFile, run =>
        {
            byte[] checkpoint = run.Optimizer.SaveToBytes();
            return resumed => resumed.Optimizer.LoadFromBytes(checkpoint);
        });
    }

    [Fact]
    public void SavingTwiceGivesTheSameBytes()
    {
        using var run = VectorRun.Start(TestVectors.AllLearningWithClipping);
        run.Steps(1, 3);

        Assert.Equal(run.Optimizer.SaveToBytes(), run.Optimizer.SaveToBytes());
    }

    /// <param name="save">Saves the run and returns how to load what it saved.</param>
    private static void AssertResumeIsBitIdentical(string vectorFile, Func<VectorRun, Action<VectorRun>> save)
    {
        var file = VectorFile.Load(Path.Combine(RepoLayout.VectorsDirectory, vectorFile));
        int total = Math.Min(TotalSteps, file.Steps.Count);

        using var uninterrupted = VectorRun.Start(file);
        uninterrupted.Steps(1, total);

        Action<VectorRun> load;
        List<float[]> parametersAtSave;
        RunState stateAtSave;
        using (var first = VectorRun.Start(file))
        {
            first.Steps(1, StepsBeforeSave);
            load = save(first);
            stateAtSave = first.Capture();
            parametersAtSave = first.Parameters.Select(p => p.ToArray()).ToList();
        }

        using var resumed = VectorRun.Start(file, startValues: parametersAtSave);
        load(resumed);
        resumed.Capture().AssertIdenticalTo(stateAtSave, "right after loading");
        resumed.Steps(StepsBeforeSave + 1, total);

        resumed.Capture().AssertIdenticalTo(uninterrupted.Capture(), $"{vectorFile}, step {total}");
    }
}
