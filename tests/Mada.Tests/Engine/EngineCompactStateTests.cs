using Mada.Tests.Infrastructure;

namespace Mada.Tests.Engine;

/// <summary>
/// <see cref="MadaOptions.CompactState"/> reaches the native engine: its state is smaller by
/// exactly the bytes the bfloat16 derivatives save, it still trains, and a compact state is not
/// taken for a full-precision one.
/// </summary>
public sealed class EngineCompactStateTests : LeakCheckedTest
{
    private const int Elements = 1000;

    [Fact]
    public void TheSavedStateShrinksByTwoBytesPerDerivative()
    {
        byte[] full = TrainAndSave(compact: false, out double fullLoss);
        byte[] compact = TrainAndSave(compact: true, out double compactLoss);

        // Six derivative rows of 1000 elements: 4 bytes each in float32, 2 in bfloat16.
        Assert.Equal(6 * Elements * 2, full.Length - compact.Length);
        Assert.True(compactLoss < 0.05 * InitialLoss(), $"compact loss {compactLoss}");
        Assert.InRange(compactLoss, 0.5 * fullLoss, 2.0 * fullLoss);
    }

    [Fact]
    public void AStateOfTheOtherPrecisionIsACheckpointException()
    {
        byte[] compact = TrainAndSave(compact: true, out _);
        using var engine = new MadaEngine(MadaOptions.Mada with { Lr = 1e-2 }, [Elements]);
        byte[] before = engine.SaveToBytes();

        var error = Assert.Throws<CheckpointException>(() => engine.LoadFromBytes(compact));

        Assert.Contains("bfloat16", error.Message);
        Assert.Equal(before, engine.SaveToBytes());
    }

    [Fact]
    public void TheOptionRoundTripsThroughTheNativeOptions()
    {
        var options = MadaOptions.Mada with { CompactState = true };
        Assert.True(options.CompactState);
        options.Validate();
        Assert.False(MadaOptions.Mada.CompactState);
    }

    // Minimises sum((x - target)^2) / n from x = 0 for 200 steps.
    private static byte[] TrainAndSave(bool compact, out double loss)
    {
        using var engine = new MadaEngine(MadaOptions.Mada with { Lr = 1e-2, CompactState = compact }, [Elements]);
        var x = new float[Elements];
        var grad = new float[Elements];
        for (int t = 0; t < 200; t++)
        {
            for (int i = 0; i < Elements; i++)
            {
                grad[i] = 2f * (x[i] - Target(i)) / Elements;
            }
            engine.Step(x, grad);
        }
        loss = Loss(x);
        return engine.SaveToBytes();
    }

    private static float Target(int i) => MathF.Sin(0.1f * i);

    private static double Loss(float[] x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += (x[i] - Target(i)) * (x[i] - Target(i));
        }
        return sum / x.Length;
    }

    private static double InitialLoss() => Loss(new float[Elements]);
}
