namespace Mada.Native;

/// <summary>A mada_dataset of libmada, and the checked calls on it (<see cref="Dataset"/>'s glue).</summary>
internal sealed unsafe class DatasetHandle : MadaHandle<DatasetHandle>
{
    /// <summary>Fashion-MNIST; a null <paramref name="directory"/> is passed as NULL, the library's default folder.</summary>
    public static DatasetHandle CreateFashionMnist(string? directory, long trainLimit)
    {
        if (directory is not null)
        {
            PathArgument.Check(directory, nameof(directory));
        }
        return Ensure.Created(NativeMethods.mada_dataset_create_fashion_mnist(directory, trainLimit, out var created), created);
    }

    public static DatasetHandle CreateText(string path, long context, double validationFraction)
    {
        PathArgument.Check(path, nameof(path));
        return Ensure.Created(
            NativeMethods.mada_dataset_create_text(path, context, validationFraction, out var created), created);
    }

    public mada_dataset_info Describe() => Read<mada_dataset_info>(&NativeMethods.mada_dataset_describe);

    protected override void Destroy(nint pointer) => NativeMethods.mada_dataset_destroy(pointer);
}
