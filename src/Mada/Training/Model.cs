using Mada.Native;

namespace Mada;

/// <summary>A neural network held by the native library, shaped for one <see cref="Dataset"/>.</summary>
public sealed class Model : IDisposable
{
    private readonly ModelHandle handle;

    private Model(ModelHandle handle, ModelKind kind)
    {
        this.handle = handle;
        Kind = kind;
    }

    /// <summary>
    /// A freshly initialised model for <paramref name="dataset"/>'s classes (images) or
    /// vocabulary and context (text). Zero for a size takes the model's default.
    /// </summary>
    /// <param name="kind">The architecture; MLP and CNN need images, GPT needs text.</param>
    /// <param name="dataset">The data the model will train on.</param>
    /// <param name="width">See <see cref="ModelKind"/>.</param>
    /// <param name="layers">GPT only: transformer blocks.</param>
    /// <param name="heads">GPT only: attention heads; width must be a multiple.</param>
    /// <param name="seed">Seed of the initialisation.</param>
    /// <exception cref="ArgumentException">The kind does not fit the data, or a size is invalid.</exception>
    public static Model Create(ModelKind kind, Dataset dataset, long width = 0, long layers = 0, long heads = 0, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var options = new mada_model_options
        {
            kind = (mada_model_kind)kind,
            width = width,
            layers = layers,
            heads = heads,
            seed = seed,
        };
        return new Model(ModelHandle.Create(options, dataset.Handle), kind);
    }

    /// <summary>The architecture.</summary>
    public ModelKind Kind { get; }

    /// <summary>Number of trainable values.</summary>
    public long ParameterCount => Handle.ParameterCount;

    /// <summary>A second <see cref="Model"/> on the same native model, with its own handle (<see cref="MadaHandle{TSelf}.Share"/>).</summary>
    internal Model Share() => new(Handle.Share(), Kind);

    internal ModelHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsDisposed, this);
            return handle;
        }
    }

    /// <summary>Releases this handle; a trainer of the model keeps it alive until the trainer is disposed.</summary>
    public void Dispose() => handle.Dispose();
}
