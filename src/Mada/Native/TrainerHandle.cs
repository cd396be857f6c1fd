using System.Runtime.InteropServices;

namespace Mada.Native;

/// <summary>
/// A native trainer that holds its model's and dataset's handles open until it is destroyed.
/// The native trainer shares ownership of both already; holding the handles too means a managed
/// Dispose of the model or dataset only marks them closed and never destroys them under a
/// trainer, whatever the native side does.
/// </summary>
internal sealed class TrainerHandle : MadaHandle
{
    private readonly SafeHandle[] parents;

    private TrainerHandle(nint pointer, SafeHandle[] parents)
        : base(pointer)
    {
        this.parents = parents;
    }

    /// <summary>Creates the native trainer; the parents are referenced from before the call until the trainer is destroyed.</summary>
    public static unsafe TrainerHandle Create(ModelHandle model, DatasetHandle dataset, mada_trainer_options options)
    {
        bool modelAdded = false;
        bool datasetAdded = false;
        try
        {
            model.DangerousAddRef(ref modelAdded);
            dataset.DangerousAddRef(ref datasetAdded);
            nint pointer;
            Ensure.Ok(NativeMethods.mada_trainer_create(
                model.DangerousGetHandle(), dataset.DangerousGetHandle(), &options, &pointer));
            return new TrainerHandle(pointer, [model, dataset]);
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

    protected override void Destroy(nint pointer)
    {
        NativeMethods.mada_trainer_destroy(pointer);
        foreach (var parent in parents)
        {
            parent.DangerousRelease();
        }
    }
}
