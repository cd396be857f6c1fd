namespace Mada.Native;

internal sealed class DatasetHandle(nint pointer) : MadaHandle(pointer)
{
    protected override void Destroy(nint pointer) => NativeMethods.mada_dataset_destroy(pointer);
}
