using Mada.Native;

namespace Mada;

/// <summary>Which of the specification's two definitions of the update to follow.</summary>
public enum Mode
{
    /// <summary>The paper's equations with the exact hypergradient (default).</summary>
    Paper = (int)mada_mode.MADA_MODE_PAPER,

    /// <summary>What the authors' code computes, quirks included; for reproducing their runs.</summary>
    Reference = (int)mada_mode.MADA_MODE_REFERENCE,
}
