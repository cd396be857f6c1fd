using Mada.Tests.Infrastructure;
using Mada.Tests.Vectors;

namespace Mada.Tests.Checkpoints;

/// <summary>
/// A run handed back and forth between C# and C++ through checkpoints and parameter files
/// follows the vector file throughout: C# does steps 1..k, the native tool k+1..k2 (checking
/// them itself), C# k2+1..T.
/// </summary>
public sealed class CrossLanguageCheckpointTests : LeakCheckedTest
{
    [Theory]
    [MemberData(nameof(VectorFiles.Cases), MemberType = typeof(VectorFiles))]
    public void CSharpThenNativeThenCSharpFollowsTheFile(string vectorFile)
    {
        string path = VectorFiles.Resolve(vectorFile);
        var file = VectorFile.Load(path);
        int total = file.Steps.Count;
        int k = total / 3;
        int k2 = 2 * total / 3;
        var checker = new VectorChecker(file, vectorFile);
        using var directory = new TemporaryDirectory();

        using (var first = VectorRun.Start(file))
        {
            for (int t = 1; t <= k; t++)
            {
                first.Step(t);
                checker.CheckStep(first, t);
            }
            first.Optimizer.Save(directory.File("csharp.ckpt"));
            ParameterFile.Write(directory.File("csharp.params"), first.Parameters);
        }

        VectorTool.Run(
            path, k, k2,
            directory.File("csharp.ckpt"), directory.File("csharp.params"),
            directory.File("native.ckpt"), directory.File("native.params"));

        ContinueInCSharp(file, checker, directory, from: k2);
    }

    [Theory]
    [MemberData(nameof(VectorFiles.Cases), MemberType = typeof(VectorFiles))]
    public void NativeFromScratchThenCSharpFollowsTheFile(string vectorFile)
    {
        string path = VectorFiles.Resolve(vectorFile);
        var file = VectorFile.Load(path);
        int k = file.Steps.Count / 2;
        var checker = new VectorChecker(file, vectorFile);
        using var directory = new TemporaryDirectory();

        VectorTool.Run(path, 0, k, "-", "-", directory.File("native.ckpt"), directory.File("native.params"));

        ContinueInCSharp(file, checker, directory, from: k);
    }

    /// <summary>Loads the tool's output into a fresh C# run and checks steps from+1..T.</summary>
    private static void ContinueInCSharp(VectorFile file, VectorChecker checker, TemporaryDirectory directory, int from)
    {
        var counts = file.Problem.Tensors.Select(t => t.X0.Length).ToList();
        var parameters = ParameterFile.Read(directory.File("native.params"), counts);

        using var resumed = VectorRun.Start(file, startValues: parameters);
        resumed.Optimizer.Load(directory.File("native.ckpt"));
        Assert.Equal(from, resumed.Optimizer.StepCount);
        // What the tool wrote is the file's state after step `from`, within the file's tolerances.
        checker.CheckStep(resumed, from);

        for (int t = from + 1; t <= file.Steps.Count; t++)
        {
            resumed.Step(t);
            checker.CheckStep(resumed, t);
        }
        checker.AssertAllMatched();
    }
}
