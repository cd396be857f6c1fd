namespace Mada;

/// <summary>What <see cref="Trainer.Evaluate"/> measured on the held-out data.</summary>
/// <param name="Loss">Mean cross-entropy per prediction.</param>
/// <param name="Accuracy">Top-1 accuracy per image, or per predicted character of a text.</param>
/// <param name="Examples">Images, or text windows, evaluated.</param>
public readonly record struct EvalMetrics(double Loss, double Accuracy, long Examples);
