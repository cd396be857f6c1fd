namespace Mada.Native;

internal sealed class TensorHandle(nint pointer) : MadaHandle(pointer)
{
    protected override void Destroy(nint pointer) => NativeMethods.mada_tensor_destroy(pointer);
}
