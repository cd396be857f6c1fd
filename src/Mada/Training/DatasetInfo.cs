namespace Mada;

/// <summary>What a <see cref="Dataset"/> holds.</summary>
/// <param name="IsText">True for a character corpus, false for images.</param>
/// <param name="Classes">Image classes, or the vocabulary size of a text.</param>
/// <param name="TrainSize">Training images, or training characters.</param>
/// <param name="EvalSize">Evaluation images, or evaluation windows of <paramref name="Context"/> characters.</param>
/// <param name="Context">Characters per window of a text; 0 for images.</param>
public readonly record struct DatasetInfo(bool IsText, long Classes, long TrainSize, long EvalSize, long Context);
