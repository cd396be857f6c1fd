using Mada.Tests.Infrastructure;

namespace Mada.Tests.Vectors;

/// <summary>Replays every vector file through the managed façade and compares each step with the file.</summary>
public sealed class VectorReplayTests : LeakCheckedTest
{
    /// <summary>Guards against a glob or a moved folder silently turning the theory below into zero cases.</summary>
    [Fact]
    public void FindsTheVectorFiles()
    {
        var files = VectorFiles.All();
        Assert.True(files.Count >= 5, $"Found {files.Count} vector files in {RepoLayout.VectorsDirectory}; expected at least 5.");
    }

    [Theory]
    [MemberData(nameof(VectorFiles.Cases), MemberType = typeof(VectorFiles))]
    public void ReplayMatchesTheFile(string vectorFile)
    {
        var file = VectorFile.Load(VectorFiles.Resolve(vectorFile));
        var checker = new VectorChecker(file, vectorFile);
        using var run = VectorRun.Start(file);

        for (int t = 1; t <= file.Steps.Count; t++)
        {
            run.Step(t);
            checker.CheckStep(run, t);
        }

        checker.AssertAllMatched();
    }
}
