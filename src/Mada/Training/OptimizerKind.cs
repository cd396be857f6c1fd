using Mada.Native;

namespace Mada;

/// <summary>
/// The optimizers a <see cref="Trainer"/> offers. The first eight are the MADA family (one
/// <see cref="MadaOptimizer"/> each, from its <see cref="MadaOptions"/> preset) and report their
/// coefficients every step; the last two are libtorch's own.
/// </summary>
public enum OptimizerKind
{
    /// <summary>MADA: all six coefficients learn, starting from Adam.</summary>
    Mada = (int)mada_optimizer_kind.MADA_OPTIMIZER_MADA,

    /// <summary>Adam whose beta1 and beta2 learn.</summary>
    HyperAdam = (int)mada_optimizer_kind.MADA_OPTIMIZER_HYPER_ADAM,

    /// <summary>Adam.</summary>
    Adam = (int)mada_optimizer_kind.MADA_OPTIMIZER_ADAM,

    /// <summary>Adam with decoupled weight decay.</summary>
    AdamW = (int)mada_optimizer_kind.MADA_OPTIMIZER_ADAMW,

    /// <summary>AMSGrad with the maximum replaced by a running average.</summary>
    AVGrad = (int)mada_optimizer_kind.MADA_OPTIMIZER_AVGRAD,

    /// <summary>Yogi.</summary>
    Yogi = (int)mada_optimizer_kind.MADA_OPTIMIZER_YOGI,

    /// <summary>Adan.</summary>
    Adan = (int)mada_optimizer_kind.MADA_OPTIMIZER_ADAN,

    /// <summary>Lion.</summary>
    Lion = (int)mada_optimizer_kind.MADA_OPTIMIZER_LION,

    /// <summary>libtorch's AdamW with AMSGrad.</summary>
    AmsGrad = (int)mada_optimizer_kind.MADA_OPTIMIZER_AMSGRAD,

    /// <summary>libtorch's SGD with momentum 0.9.</summary>
    Sgd = (int)mada_optimizer_kind.MADA_OPTIMIZER_SGD,
}
