using System.Runtime.InteropServices;

namespace Mada.Native;

/// <summary>
/// A native trainer that holds its model's and dataset's handles open until it is destroyed,
/// and the checked calls on it (<see cref="Trainer"/>'s glue). The native trainer shares
/// ownership of both already; holding the handles too means a managed Dispose of the model or
/// dataset only marks them closed and never destroys them under a trainer, whatever the native
/// side does.
/// </summary>
internal sealed unsafe class TrainerHandle : MadaHandle<TrainerHandle>
{
    private SafeHandle[] parents = [];

    /// <summary>Creates the native trainer; the parents are referenced from before the call until the trainer is destroyed.</summary>
    public static TrainerHandle Create(ModelHandle model, DatasetHandle dataset, mada_trainer_options options, string? store)
    {
        bool modelAdded = false;
        bool datasetAdded = false;
        try
        {
            model.DangerousAddRef(ref modelAdded);
            dataset.DangerousAddRef(ref datasetAdded);
            // The store string is read during the call only: pinned UTF-8 for its duration.
            byte[]? storeText = store is null ? null : System.Text.Encoding.UTF8.GetBytes(store + '\0');
            TrainerHandle trainer;
            fixed (byte* storePointer = storeText)
            {
                options.distributed.store = storePointer;
                trainer = Ensure.Created(NativeMethods.mada_trainer_create(model, dataset, &options, out var created), created);
            }
            trainer.parents = [model, dataset];
            return trainer;
        }
        catch
        {
            if (datasetAdded)
            {
                dataset.DangerousRelease();
            }
            if (modelAdded)
            {
                model.DangerousRelease();
            }
            throw;
        }
    }

    public mada_step_metrics Step() => Read<mada_step_metrics>(&NativeMethods.mada_trainer_step);

    public long StepCount => Read<long>(&NativeMethods.mada_trainer_step_count);

    public Coefficients Coefficients => Coefficients.FromNative(Read<mada_coefficients>(&NativeMethods.mada_trainer_coefficients));

    public Coefficients Hypergradient => Coefficients.FromNative(Read<mada_coefficients>(&NativeMethods.mada_trainer_hypergradient));

    public mada_eval_metrics Evaluate(long maxBatches, string paramName)
    {
        mada_eval_metrics metrics;
        Ensure.OkInRange(NativeMethods.mada_trainer_evaluate(this, maxBatches, &metrics), paramName);
        return metrics;
    }

    public void Save(string path)
    {
        PathArgument.Check(path, nameof(path));
        Ensure.Ok(NativeMethods.mada_trainer_save(this, path));
    }

    public void Load(string path)
    {
        PathArgument.Check(path, nameof(path));
        Ensure.Ok(NativeMethods.mada_trainer_load(this, path));
    }

    protected override void Destroy(nint pointer)
    {
        NativeMethods.mada_trainer_destroy(pointer);
        foreach (var parent in parents)
        {
            parent.DangerousRelease();
        }
    }
}
