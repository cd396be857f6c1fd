using System.IO.Compression;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mada.TorchSharp.Tests;

using Tensor = global::TorchSharp.torch.Tensor;

/// <summary>A TorchSharp model of the user's own, trained with MADA through the adapter.</summary>
public sealed class TrainingTests
{
    private const string FashionMnist = "/usr/share/datasets/fashion-mnist";

    [Fact]
    public void TheReadmeProgramTrainsAnMlpOnFashionMnist()
    {
        torch.manual_seed(1);
        var (images, labels) = Load(4096);
        (Tensor, Tensor) NextBatch(int step)
        {
            int start = (step * 64) % 4096;
            return (images[start..(start + 64)], labels[start..(start + 64)]);
        }

        // README.md, "MADA for TorchSharp models", as written:
        var model = nn.Sequential(("flatten", nn.Flatten()), ("hidden", nn.Linear(784, 128)),
                                  ("relu", nn.ReLU()), ("out", nn.Linear(128, 10)));
        using var optimizer = MadaTorch.Mada(model.parameters(), lr: 2e-3);   // or .Adam, .Lion, ... any preset
        var scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 1000, 0.5); // TorchSharp's schedulers drive it
        var lossFunction = nn.CrossEntropyLoss();
        double initial = EvalLoss(model, lossFunction, images, labels);
        for (int step = 0; step < 150; step++)
        {
            using var scope = torch.NewDisposeScope();
            var (batchImages, batchLabels) = NextBatch(step);
            var loss = lossFunction.forward(model.forward(batchImages), batchLabels);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            scheduler.step();
        }
        Console.WriteLine(optimizer.Coefficients);          // what MADA learned
        string path = Path.Combine(Path.GetTempPath(), $"mada-state-{Environment.ProcessId}.bin");
        optimizer.save_state_dict(path);                    // atomic; load_state_dict resumes bit-exactly

        double final = EvalLoss(model, lossFunction, images, labels);
        Assert.True(final < 0.5 * initial, $"loss went from {initial:F3} to {final:F3}");
        Assert.Equal(150, optimizer.StepCount);
        Assert.NotEqual(MadaOptions.Mada.InitialCoefficients, optimizer.Coefficients);  // the coefficients learned
        Assert.True(new FileInfo(path).Length > 48L * 784 * 128, "the saved state holds every buffer");
        File.Delete(path);
    }

    // Cross-entropy over the first 1024 images, without gradients.
    private static double EvalLoss(nn.Module<Tensor, Tensor> model, CrossEntropyLoss loss, Tensor images, Tensor labels)
    {
        using var _ = torch.no_grad();
        using var logits = model.forward(images[..1024]);
        return loss.forward(logits, labels[..1024]).item<float>();
    }

    // The first n training images (scaled to [0, 1]) and labels of Debian's dataset-fashion-mnist.
    private static (Tensor Images, Tensor Labels) Load(int n)
    {
        byte[] pixels = Read("train-images-idx3-ubyte.gz", 16, n * 784);
        byte[] classes = Read("train-labels-idx1-ubyte.gz", 8, n);
        var images = torch.tensor(pixels.Select(b => b / 255f).ToArray()).reshape(n, 1, 28, 28);
        var labels = torch.tensor(classes.Select(b => (long)b).ToArray());
        return (images, labels);
    }

    private static byte[] Read(string name, int header, int count)
    {
        using var gzip = new GZipStream(File.OpenRead(Path.Combine(FashionMnist, name)), CompressionMode.Decompress);
        var bytes = new byte[header + count];
        gzip.ReadExactly(bytes);
        return bytes[header..];
    }
}
