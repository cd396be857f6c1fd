using Mada.Native;

namespace Mada;

/// <summary>
/// Training and evaluation data, loaded and held by the native library: Fashion-MNIST images or
/// a character corpus. Give it to <see cref="Model.Create"/> and to a <see cref="Trainer"/>.
/// </summary>
public sealed class Dataset : IDisposable
{
    private readonly DatasetHandle handle;

    private Dataset(DatasetHandle handle)
    {
        this.handle = handle;
    }

    /// <summary>The default Fashion-MNIST folder, as Debian's dataset-fashion-mnist installs it.</summary>
    public const string DefaultFashionMnistDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>
    /// Fashion-MNIST from the IDX files (gzip-compressed or plain) in <paramref name="directory"/>:
    /// train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte.
    /// </summary>
    /// <param name="directory">The folder; null for <see cref="DefaultFashionMnistDirectory"/>.</param>
    /// <param name="trainLimit">When positive, only the first this many training images are kept.</param>
    /// <exception cref="IOException">A file is missing or unreadable; the message names it.</exception>
    /// <exception cref="ArgumentException">A file is malformed, or <paramref name="trainLimit"/> is negative.</exception>
    public static Dataset FashionMnist(string? directory = null, long trainLimit = 0) =>
        new(DatasetHandle.CreateFashionMnist(directory, trainLimit));

    /// <summary>
    /// A character corpus from a UTF-8 text file: every code point is a token, and the last
    /// <paramref name="validationFraction"/> of the file is held out for evaluation.
    /// </summary>
    /// <param name="path">The text file.</param>
    /// <param name="context">Characters per training and evaluation window.</param>
    /// <param name="validationFraction">The share of the file, at its end, held out.</param>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="ArgumentException">The file is not UTF-8, or too short for the context.</exception>
    public static Dataset Text(string path, long context, double validationFraction = 0.1) =>
        new(DatasetHandle.CreateText(path, context, validationFraction));

    /// <summary>Kind and sizes of the data.</summary>
    public DatasetInfo Info
    {
        get
        {
            var native = Handle.Describe();
            return new DatasetInfo(native.is_text != 0, native.classes, native.train_size, native.eval_size, native.context);
        }
    }

    /// <summary>A second <see cref="Dataset"/> on the same native data, with its own handle (<see cref="MadaHandle{TSelf}.Share"/>).</summary>
    internal Dataset Share() => new(Handle.Share());

    internal DatasetHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsDisposed, this);
            return handle;
        }
    }

    /// <summary>Releases this handle; a trainer built on the dataset keeps it alive until the trainer is disposed.</summary>
    public void Dispose() => handle.Dispose();
}
