using Mada.Tests.Infrastructure;

namespace Mada.Tests.Api;

/// <summary>
/// ParamGroups on both optimizers: a learning rate or weight decay set by a scheduler is the one
/// the next step uses, bit for bit as if the optimizer had been created with it; one collection
/// type serves MadaOptimizer and MadaEngine alike.
/// </summary>
public sealed class ParamGroupTests : LeakCheckedTest
{
    private const int Steps = 3;
    private static readonly float[] Start = [0.5f, -1.25f, 2f, 0.75f, -0.3f];

    public static TheoryData<string> Optimizers() => new("MadaOptimizer", "MadaEngine");

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void AScheduledLearningRateStepsLikeAnOptimizerCreatedWithIt(string kind)
    {
        var options = MadaOptions.Mada with { Lr = 0.01, WeightDecay = 0.05 };

        float[] scheduled = Run(kind, options, groups => groups[0].LearningRate = 0.003);
        float[] created = Run(kind, options with { Lr = 0.003 }, _ => { });
        float[] untouched = Run(kind, options, _ => { });

        AssertBitwiseEqual(created, scheduled);
        Assert.NotEqual(untouched, scheduled);
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void AScheduledWeightDecayStepsLikeAnOptimizerCreatedWithIt(string kind)
    {
        var options = MadaOptions.Mada with { Lr = 0.01, WeightDecay = 0 };

        float[] scheduled = Run(kind, options, groups => groups[0].WeightDecay = 0.25);
        float[] created = Run(kind, options with { WeightDecay = 0.25 }, _ => { });
        float[] untouched = Run(kind, options, _ => { });

        AssertBitwiseEqual(created, scheduled);
        Assert.NotEqual(untouched, scheduled);
    }

    [Fact]
    public void GroupsAreListedInTheOrderAddedOneObjectEach()
    {
        using var engine = new MadaEngine(MadaOptions.Mada with { Lr = 0.125, WeightDecay = 0.5 });
        Assert.Empty(engine.ParamGroups);

        engine.AddGroup([4, 5]);
        engine.AddGroup([6], lr: 0.25, weightDecay: 0.75);

        Assert.Equal(2, engine.ParamGroups.Count);
        Assert.Equal([0, 1], engine.ParamGroups.Select(group => group.Index));
        Assert.Equal([(0.125, 0.5), (0.25, 0.75)], engine.ParamGroups.Select(group => (group.LearningRate, group.WeightDecay)));
        Assert.Same(engine.ParamGroups[1], engine.ParamGroups[1]);
    }

    /// <summary>The one-group constructors equal creating the optimizer, then adding the group.</summary>
    [Theory]
    [MemberData(nameof(Optimizers))]
    public void TheOneGroupConstructorEqualsAddGroup(string kind)
    {
        var options = MadaOptions.Mada with { Lr = 0.02, WeightDecay = 0.1 };

        AssertBitwiseEqual(Run(kind, options, _ => { }, oneCall: false), Run(kind, options, _ => { }, oneCall: true));
    }

    /// <summary>A group the constructor refuses leaves no optimizer behind (the leak check would say so).</summary>
    [Fact]
    public void AOneGroupConstructorThatFailsDestroysWhatItCreated()
    {
        NativeFailure.Expect<ArgumentException>(() => new MadaEngine(MadaOptions.Mada, [3, 0]));
        using var parameter = new Tensor([1f]);
        Assert.Throws<ArgumentException>(() => new MadaOptimizer(MadaOptions.Mada, [parameter, null!]));
    }

    /// <summary>Steps a parameter of <see cref="Start"/> under <paramref name="kind"/>, after <paramref name="schedule"/> set its group.</summary>
    private static float[] Run(string kind, MadaOptions options, Action<ParamGroupCollection> schedule, bool oneCall = true)
    {
        if (kind == "MadaEngine")
        {
            float[] parameter = [.. Start];
            using var engine = oneCall ? new MadaEngine(options, [Start.Length]) : new MadaEngine(options);
            if (!oneCall)
            {
                engine.AddGroup([Start.Length]);
            }
            schedule(engine.ParamGroups);
            for (int t = 1; t <= Steps; t++)
            {
                engine.Step(parameter, Gradient(t));
            }
            return parameter;
        }

        using var tensor = new Tensor(Start);
        using var optimizer = oneCall ? new MadaOptimizer(options, [tensor]) : new MadaOptimizer(options);
        if (!oneCall)
        {
            optimizer.AddGroup([tensor]);
        }
        schedule(optimizer.ParamGroups);
        for (int t = 1; t <= Steps; t++)
        {
            using var gradient = new Tensor(Gradient(t));
            optimizer.Step([gradient]);
        }
        return tensor.ToArray();
    }

    private static float[] Gradient(int step) =>
        [.. Start.Select((x, i) => (float)Math.Sin(1.7 * step + i) * 0.1f + 0.01f * x)];

    private static void AssertBitwiseEqual(float[] expected, float[] actual) =>
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
}
