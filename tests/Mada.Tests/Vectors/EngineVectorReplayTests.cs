using Mada.Tests.Infrastructure;

namespace Mada.Tests.Vectors;

/// <summary>Replays every vector file through <see cref="MadaEngine"/> on float[] parameters, at the tolerances of the Tensor replay.</summary>
public sealed class EngineVectorReplayTests : LeakCheckedTest
{
    [Theory]
    [MemberData(nameof(VectorFiles.Cases), MemberType = typeof(VectorFiles))]
    public void EngineReplayMatchesTheFile(string vectorFile)
    {
        var file = VectorFile.Load(VectorFiles.Resolve(vectorFile));
        var checker = new VectorChecker(file, vectorFile);
        using var run = EngineVectorRun.Start(file);

        for (int t = 1; t <= file.Steps.Count; t++)
        {
            run.Step(t);
            checker.CheckStep(run.Capture(), t);
        }

        checker.AssertAllMatched();
    }
}
