using Mada.Native;

namespace Mada;

/// <summary>The models the native library can build and train.</summary>
public enum ModelKind
{
    /// <summary>For images: two hidden layers of width and width/2 units (default width 256).</summary>
    Mlp = (int)mada_model_kind.MADA_MODEL_MLP,

    /// <summary>For images: three convolutions of width, 2 width and 4 width channels, then two dense layers (default width 32).</summary>
    Cnn = (int)mada_model_kind.MADA_MODEL_CNN,

    /// <summary>For text: a character-level GPT (nanoGPT-style; default 2 layers, 4 heads, width 128).</summary>
    Gpt = (int)mada_model_kind.MADA_MODEL_GPT,
}
