using Mada.Native;

namespace Mada;

/// <summary>
/// Trains a <see cref="Model"/> on a <see cref="Dataset"/>: each <see cref="Step"/> is one native
/// call doing the forward and backward passes over <see cref="TrainerOptions.GradAccumulation"/>
/// batches, gradient clipping, the learning-rate schedule and the optimizer update. Not
/// thread-safe: use one trainer from one thread at a time.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly TrainerHandle handle;

    /// <summary>A trainer at step 0. It keeps <paramref name="model"/> and <paramref name="dataset"/> alive until it is disposed.</summary>
    /// <exception cref="ArgumentException">An option is invalid, or the model does not fit the data; the message says which.</exception>
    public Trainer(Model model, Dataset dataset, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        handle = TrainerHandle.Create(model.Handle, dataset.Handle, options.ToNative(), options.Distributed.Store);
        try
        {
            // Handles of the trainer's own: Model and Dataset work for as long as the trainer, whatever the caller disposes.
            Model = model.Share();
            Dataset = dataset.Share();
        }
        catch
        {
            Model?.Dispose();
            handle.Dispose();
            throw;
        }
        Options = options;
    }

    /// <summary>
    /// The model being trained, updated in place by every step. It is the trainer's own
    /// <see cref="Mada.Model"/> on the model given to the constructor (not that object): usable
    /// until the trainer is disposed, even after the caller disposed its own, and disposed with the trainer.
    /// </summary>
    public Model Model { get; }

    /// <summary>The data it trains and evaluates on; the trainer's own <see cref="Mada.Dataset"/> on it, as for <see cref="Model"/>.</summary>
    public Dataset Dataset { get; }

    /// <summary>The options the trainer was created with.</summary>
    public TrainerOptions Options { get; }

    /// <summary>
    /// The coefficients the last <see cref="Step"/> used (before the first step: the start,
    /// <see cref="TrainerOptions.InitialCoefficients"/> or the preset's; after <see cref="Load"/>:
    /// the checkpoint's), read from the native optimizer; null outside the MADA family.
    /// </summary>
    public Coefficients? Coefficients => Options.Optimizer.IsMadaFamily() ? Handle.Coefficients : null;

    /// <summary>
    /// The hypergradient of the last <see cref="Step"/> (zeros before the second), read from
    /// the native optimizer; null outside the MADA family.
    /// </summary>
    public Coefficients? Hypergradient => Options.Optimizer.IsMadaFamily() ? Handle.Hypergradient : null;

    /// <summary>One optimizer step.</summary>
    /// <exception cref="NonFiniteGradientException">The gradient held NaN or infinity; the step was not taken.</exception>
    public StepMetrics Step() => StepMetrics.FromNative(Handle.Step());

    /// <summary>Optimizer steps done so far; after <see cref="Load"/>, the checkpoint's.</summary>
    public long StepCount => Handle.StepCount;

    /// <summary>Loss and accuracy over the first <paramref name="maxBatches"/> evaluation batches (0: all); changes nothing.</summary>
    public EvalMetrics Evaluate(long maxBatches = 0)
    {
        var native = Handle.Evaluate(maxBatches, nameof(maxBatches));
        return new EvalMetrics(native.loss, native.accuracy, native.examples);
    }

    /// <summary>Writes model, optimizer state and step count to a file, atomically.</summary>
    /// <exception cref="IOException">The file could not be written.</exception>
    public void Save(string path) => Handle.Save(path);

    /// <summary>
    /// Restores a checkpoint written by <see cref="Save"/>; it is checked whole against this
    /// trainer's model and optimizer before anything changes. The next <see cref="Step"/> continues
    /// exactly where the saved trainer stopped.
    /// </summary>
    /// <exception cref="IOException">The file could not be read.</exception>
    /// <exception cref="CheckpointException">The file is corrupt, or of another model or optimizer.</exception>
    public void Load(string path) => Handle.Load(path);

    /// <summary>Destroys the native trainer and its <see cref="Model"/> and <see cref="Dataset"/> handles; the caller's model and dataset stay valid until their own Dispose.</summary>
    public void Dispose()
    {
        handle.Dispose();
        Model.Dispose();
        Dataset.Dispose();
    }

    private TrainerHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsDisposed, this);
            return handle;
        }
    }
}
