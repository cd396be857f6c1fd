using Mada.Tests.Infrastructure;
using Mada.Tests.Vectors;

namespace Mada.Tests.Checkpoints;

/// <summary>Checkpoints that cannot be loaded are refused whole, leaving the optimizer as it was.</summary>
public sealed class CheckpointFailureTests : LeakCheckedTest
{
    private const int StepsBefore = 4;

    public static TheoryData<string> Corruptions => ["empty", "truncated", "one byte flipped", "garbage", "appended byte"];

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void CorruptBytesAreACheckpointExceptionAndChangeNothing(string corruption)
    {
        byte[] good;
        using (var source = VectorRun.Start(TestVectors.AllLearningWithClipping))
        {
            source.Steps(1, 2 * StepsBefore);
            good = source.Optimizer.SaveToBytes();
        }
        byte[] bad = Corrupt(good, corruption);

        AssertFailedLoadChangesNothing(TestVectors.AllLearningWithClipping, run =>
            AssertModestMemory(() => NativeFailure.Expect<CheckpointException>(() => run.Optimizer.LoadFromBytes(bad))));
    }

    [Fact]
    public void CheckpointOfAnotherModelIsRefused()
    {
        var file = TestVectors.AllLearningWithClipping;
        byte[] otherModel;
        using (var optimizer = new MadaOptimizer(VectorRun.OptionsFor(file)))
        using (var onlyParameter = new Tensor(file.Problem.Tensors[0].X0, file.Problem.Tensors[0].Shape))
        {
            optimizer.AddGroup([onlyParameter]);
            otherModel = optimizer.SaveToBytes();
        }

        AssertFailedLoadChangesNothing(file, run =>
            NativeFailure.Expect<CheckpointException>(() => run.Optimizer.LoadFromBytes(otherModel)));
    }

    [Fact]
    public void CheckpointOfAnotherModeIsRefused()
    {
        var file = TestVectors.AllLearningWithClipping;
        Assert.Equal(Mode.Reference, file.OptimizerMode);
        byte[] paperMode;
        using (var paper = VectorRun.Start(file, options => options with { Mode = Mode.Paper }))
        {
            paper.Steps(1, StepsBefore);
            paperMode = paper.Optimizer.SaveToBytes();
        }

        AssertFailedLoadChangesNothing(file, run =>
            NativeFailure.Expect<CheckpointException>(() => run.Optimizer.LoadFromBytes(paperMode)));
    }

    [Fact]
    public void LoadingAMissingFileIsAnIOExceptionAndChangesNothing()
    {
        using var directory = new TemporaryDirectory();
        string missing = directory.File("does-not-exist.mada");

        AssertFailedLoadChangesNothing(TestVectors.AllLearningWithClipping, run =>
        {
            var error = NativeFailure.Expect<IOException>(() => run.Optimizer.Load(missing));
            Assert.Contains("does-not-exist.mada", error.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void LoadingAFileOfGarbageIsACheckpointException()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("garbage.mada");
        File.WriteAllBytes(path, Corrupt(new byte[256], "garbage"));

        AssertFailedLoadChangesNothing(TestVectors.AllLearningWithClipping, run =>
            NativeFailure.Expect<CheckpointException>(() => run.Optimizer.Load(path)));
    }

    [Fact]
    public void SavingIntoAMissingDirectoryIsAnIOException()
    {
        using var directory = new TemporaryDirectory();
        using var run = VectorRun.Start(TestVectors.AllLearningWithClipping);

        NativeFailure.Expect<IOException>(() => run.Optimizer.Save(directory.File(Path.Combine("missing", "checkpoint.mada"))));
    }

    [Fact]
    public void PathWithNulIsRefusedBeforeReachingC()
    {
        using var run = VectorRun.Start(TestVectors.AllLearningWithClipping);

        Assert.Throws<ArgumentException>(() => run.Optimizer.Save("checkpoint\0.mada"));
    }

    private static void AssertFailedLoadChangesNothing(VectorFile file, Action<VectorRun> failedLoad)
    {
        using var run = VectorRun.Start(file);
        using var twin = VectorRun.Start(file);
        run.Steps(1, StepsBefore);
        twin.Steps(1, StepsBefore);
        var before = run.Capture();

        failedLoad(run);

        run.Capture().AssertIdenticalTo(before, "right after the failed load");
        run.Steps(StepsBefore + 1, 2 * StepsBefore);
        twin.Steps(StepsBefore + 1, 2 * StepsBefore);
        run.Capture().AssertIdenticalTo(twin.Capture(), "after continuing");
    }

    /// <summary>
    /// Refusing a checkpoint of a few kilobytes must not take gigabytes: a corrupt length inside
    /// it is no reason to allocate. Measured as growth of the process's peak resident memory.
    /// </summary>
    private static void AssertModestMemory(Action call)
    {
        const long Limit = 512L << 20;
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        long peakBefore = process.PeakWorkingSet64;

        call();

        process.Refresh();
        long growth = process.PeakWorkingSet64 - peakBefore;
        Assert.True(growth < Limit, $"Refusing the checkpoint raised peak memory by {growth >> 20} MiB (limit {Limit >> 20} MiB).");
    }

    /// <summary>A damaged copy of a good checkpoint; shared with the engine's checkpoint tests.</summary>
    internal static byte[] Corrupt(byte[] good, string corruption)
    {
        byte[] bad = (byte[])good.Clone();
        switch (corruption)
        {
            case "empty":
                return [];
            case "truncated":
                return good[..(good.Length / 2)];
            case "one byte flipped":
                bad[bad.Length / 2] ^= 0x5A;
                return bad;
            case "garbage":
                new Random(20240108).NextBytes(bad);
                return bad;
            case "appended byte":
                return [.. good, 0];
            default:
                throw new ArgumentOutOfRangeException(nameof(corruption), corruption, null);
        }
    }
}
