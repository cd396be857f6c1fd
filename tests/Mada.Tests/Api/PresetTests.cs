namespace Mada.Tests.Api;

/// <summary>
/// The presets come from the native library; their values are checked against the
/// specification (shared/spec/MADA.md: domain table, constants, fixed points) and mada.h.
/// </summary>
public sealed class PresetTests
{
    private static readonly Coefficients SpecLowerBounds = new(0.01, 0.501, 0.0, 0, 0, 0);
    private static readonly Coefficients SpecUpperBounds = new(0.99, 0.99, 0.99, 1, 1, 1);

    public static TheoryData<string> AllPresets => ["Mada", "HyperAdam", "Adam", "AdamW", "AVGrad", "Yogi", "Adan", "Lion"];

    [Theory]
    [MemberData(nameof(AllPresets))]
    public void EveryPresetHasTheSpecConstants(string name)
    {
        var options = Preset(name);

        Assert.Equal(1e-6, options.Eps);
        Assert.Equal(0.95, options.LionBeta1);
        Assert.Equal(0.98, options.LionBeta2);
        Assert.Equal(10, options.HypergradClip);
        Assert.Equal(SpecLowerBounds, options.LowerBounds);
        Assert.Equal(SpecUpperBounds, options.UpperBounds);
        Assert.Equal(Mode.Paper, options.Mode);
        Assert.Equal(NonFinitePolicy.Error, options.NonFinitePolicy);
    }

    /// <summary>mada.h, mada_options_preset: "the authors' values; lr 1e-3, Lion 1e-4".</summary>
    [Theory]
    [MemberData(nameof(AllPresets))]
    public void EveryPresetHasTheHeadersDefaultLearningRate(string name)
    {
        double expected = name == "Lion" ? 1e-4 : 1e-3;

        Assert.Equal(expected, Preset(name).Lr);
    }

    [Fact]
    public void MadaLearnsAllSixFromAdamWithTheAuthorsHyperLearningRates()
    {
        var options = MadaOptions.Mada;

        Assert.Equal(LearnedCoefficients.All, options.Learned);
        Assert.Equal(new Coefficients(5e-4, 5e-4, 0.1, 0.1, 0.1, 0.1), options.HyperLr);
        AssertAdamFixedPoint(options.InitialCoefficients);
    }

    [Fact]
    public void HyperAdamLearnsOnlyBeta1AndBeta2()
    {
        var options = MadaOptions.HyperAdam;

        Assert.Equal(LearnedCoefficients.Beta1 | LearnedCoefficients.Beta2, options.Learned);
        AssertAdamFixedPoint(options.InitialCoefficients);
    }

    [Fact]
    public void FixedPointPresetsLearnNothingAndSitOnTheirFixedPoint()
    {
        AssertFixed(MadaOptions.Adam, q => AssertAdamFixedPoint(q));
        AssertFixed(MadaOptions.AdamW, q => AssertAdamFixedPoint(q));
        AssertFixed(MadaOptions.AVGrad, q => Assert.Equal(0, q.Rho));
        AssertFixed(MadaOptions.Yogi, q => Assert.Equal(0, q.C));
        AssertFixed(MadaOptions.Lion, q => Assert.Equal(0, q.Gamma));
        AssertFixed(MadaOptions.Adan, q =>
        {
            Assert.True(q.Beta3 > 0, "Adan needs beta3 > 0.");
            Assert.Equal((1.0, 1.0, 1.0), (q.C, q.Rho, q.Gamma));
        });
    }

    /// <summary>mada.h: "Adam with decoupled weight decay 0.01".</summary>
    [Fact]
    public void AdamWDecaysWeightsByOnePercent()
    {
        Assert.Equal(0.01, MadaOptions.AdamW.WeightDecay);
        Assert.Equal(0, MadaOptions.Adam.WeightDecay);
    }

    private static void AssertFixed(MadaOptions options, Action<Coefficients> fixedPoint)
    {
        Assert.Equal(LearnedCoefficients.None, options.Learned);
        fixedPoint(options.InitialCoefficients);
    }

    /// <summary>
    /// A trainer's MADA-family kind is the preset of the same name (the kind's value is the
    /// preset's); libtorch's own optimizers have none.
    /// </summary>
    [Theory]
    [MemberData(nameof(AllPresets))]
    public void EachMadaFamilyKindIsThePresetOfItsName(string name)
    {
        var kind = Enum.Parse<OptimizerKind>(name);

        Assert.True(kind.IsMadaFamily());
        Assert.Equal(Preset(name), kind.Preset());
    }

    [Theory]
    [InlineData(OptimizerKind.AmsGrad)]
    [InlineData(OptimizerKind.Sgd)]
    public void LibtorchsOptimizersHaveNoPreset(OptimizerKind kind)
    {
        Assert.False(kind.IsMadaFamily());
        Assert.Throws<ArgumentException>("kind", () => kind.Preset());
    }

    /// <summary>Adam: beta3 = 0, c = rho = gamma = 1.</summary>
    private static void AssertAdamFixedPoint(Coefficients q) =>
        Assert.Equal((0.0, 1.0, 1.0, 1.0), (q.Beta3, q.C, q.Rho, q.Gamma));

    private static MadaOptions Preset(string name) => name switch
    {
        "Mada" => MadaOptions.Mada,
        "HyperAdam" => MadaOptions.HyperAdam,
        "Adam" => MadaOptions.Adam,
        "AdamW" => MadaOptions.AdamW,
        "AVGrad" => MadaOptions.AVGrad,
        "Yogi" => MadaOptions.Yogi,
        "Adan" => MadaOptions.Adan,
        "Lion" => MadaOptions.Lion,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
