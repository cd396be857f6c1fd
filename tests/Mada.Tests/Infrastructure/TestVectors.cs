using Mada.Tests.Vectors;

namespace Mada.Tests.Infrastructure;

/// <summary>Committed vector files used as ready-made problems by tests that are not about the vectors themselves.</summary>
internal static class TestVectors
{
    /// <summary>Reference mode, all six coefficients learning, gradient clipping: exercises every part of the state.</summary>
    public static VectorFile AllLearningWithClipping => Load("mada_mid_gradclip.json");

    /// <summary>Paper mode (keeps the previous gradient), all six learning.</summary>
    public static VectorFile PaperMode => Load("paper_mada_from_adam.json");

    private static VectorFile Load(string name) => VectorFile.Load(Path.Combine(RepoLayout.VectorsDirectory, name));
}
