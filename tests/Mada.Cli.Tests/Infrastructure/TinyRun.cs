using Mada.Tests.Checkpoints;
using Mada.Tests.Infrastructure;

namespace Mada.Cli.Tests.Infrastructure;

/// <summary>
/// A folder for one test: a Fashion-MNIST in miniature under data/, and the arguments of a
/// training run on it that takes milliseconds (a width-8 MLP, batches of 4).
/// </summary>
internal sealed class TinyRun : IDisposable
{
    private readonly TemporaryDirectory directory = new();

    public TinyRun()
    {
        Directory.CreateDirectory(Data);
        TinyFashionMnist.Write(Data, trainImages: 40, testImages: 12);
    }

    public string Root => directory.Path;

    public string Data => Path.Combine(directory.Path, "data");

    public string PathOf(string name) => Path.Combine(directory.Path, name);

    /// <summary><c>train</c> of <paramref name="steps"/> steps into <paramref name="output"/>, evaluating every 3 steps, then <paramref name="more"/>.</summary>
    public string[] Train(string output, int steps = 6, params string[] more) =>
        ["train", .. RunArguments(output, steps), "--eval-every", "3", .. more];

    /// <summary><c>compare</c> of <paramref name="steps"/> steps into <paramref name="output"/>, then <paramref name="more"/> (the optimizers, the seeds).</summary>
    public string[] Compare(string output, int steps, params string[] more) => ["compare", .. RunArguments(output, steps), .. more];

    /// <summary><c>sweep</c> of <paramref name="steps"/> steps into <paramref name="output"/>, then <paramref name="more"/> (the grid, the optimizers).</summary>
    public string[] Sweep(string output, int steps, params string[] more) => ["sweep", .. RunArguments(output, steps), .. more];

    private string[] RunArguments(string output, int steps) =>
        ["--model", "mlp", "--width", "8", "--data", Data, "--steps", steps.ToString(), "--batch-size", "4", "--out", PathOf(output)];

    public void Dispose() => directory.Dispose();
}
