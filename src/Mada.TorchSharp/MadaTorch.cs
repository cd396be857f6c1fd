using TorchSharp.Modules;

namespace Mada.TorchSharp;

/// <summary>
/// One-line constructors in TorchSharp's style, one per MADA preset:
/// <c>MadaTorch.Mada(model.parameters(), lr: 1e-3)</c> is to MADA what
/// <c>torch.optim.AdamW(model.parameters(), lr: 1e-3)</c> is to AdamW.
/// </summary>
public static class MadaTorch
{
    /// <summary>MADA: all six coefficients learn, starting from Adam's point.</summary>
    public static MadaTorchOptimizer Mada(IEnumerable<Parameter> parameters, double? lr = null, double? weightDecay = null) =>
        Create(parameters, MadaOptions.Mada, lr, weightDecay);

    /// <summary>HyperAdam: Adam whose beta1 and beta2 learn.</summary>
    public static MadaTorchOptimizer HyperAdam(IEnumerable<Parameter> parameters, double? lr = null, double? weightDecay = null) =>
        Create(parameters, MadaOptions.HyperAdam, lr, weightDecay);

    /// <summary>Adam (nothing learns).</summary>
    public static MadaTorchOptimizer Adam(IEnumerable<Parameter> parameters, double? lr = null, double? weightDecay = null) =>
        Create(parameters, MadaOptions.Adam, lr, weightDecay);

    /// <summary>AdamW: Adam with decoupled weight decay (0.01 unless given).</summary>
    public static MadaTorchOptimizer AdamW(IEnumerable<Parameter> parameters, double? lr = null, double? weightDecay = null) =>
        Create(parameters, MadaOptions.AdamW, lr, weightDecay);

    /// <summary>AVGrad: AMSGrad with a running average (rho = 0).</summary>
    public static MadaTorchOptimizer AVGrad(IEnumerable<Parameter> parameters, double? lr = null, double? weightDecay = null) =>
        Create(parameters, MadaOptions.AVGrad, lr, weightDecay);

    /// <summary>Yogi (c = 0).</summary>
    public static MadaTorchOptimizer Yogi(IEnumerable<Parameter> parameters, double? lr = null, double? weightDecay = null) =>
        Create(parameters, MadaOptions.Yogi, lr, weightDecay);

    /// <summary>Adan (beta3 = 0.08).</summary>
    public static MadaTorchOptimizer Adan(IEnumerable<Parameter> parameters, double? lr = null, double? weightDecay = null) =>
        Create(parameters, MadaOptions.Adan, lr, weightDecay);

    /// <summary>Lion (gamma = 0: the sign of the Lion momentum; lr 1e-4 unless given).</summary>
    public static MadaTorchOptimizer Lion(IEnumerable<Parameter> parameters, double? lr = null, double? weightDecay = null) =>
        Create(parameters, MadaOptions.Lion, lr, weightDecay);

    private static MadaTorchOptimizer Create(IEnumerable<Parameter> parameters, MadaOptions preset, double? lr, double? weightDecay) =>
        new(parameters, preset with { Lr = lr ?? preset.Lr, WeightDecay = weightDecay ?? preset.WeightDecay });
}
