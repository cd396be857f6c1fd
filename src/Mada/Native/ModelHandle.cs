namespace Mada.Native;

/// <summary>A mada_model of libmada, and the checked calls on it (<see cref="Model"/>'s glue).</summary>
internal sealed unsafe class ModelHandle : MadaHandle<ModelHandle>
{
    public static ModelHandle Create(mada_model_options options, DatasetHandle dataset) =>
        Ensure.Created(NativeMethods.mada_model_create(&options, dataset, out var created), created);

    public long ParameterCount => Read<long>(&NativeMethods.mada_model_parameter_count);

    protected override void Destroy(nint pointer) => NativeMethods.mada_model_destroy(pointer);
}
