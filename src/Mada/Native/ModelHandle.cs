namespace Mada.Native;

internal sealed class ModelHandle(nint pointer) : MadaHandle(pointer)
{
    protected override void Destroy(nint pointer) => NativeMethods.mada_model_destroy(pointer);
}
