namespace Mada.Native;

internal sealed class OptimizerHandle(nint pointer) : MadaHandle(pointer)
{
    protected override void Destroy(nint pointer) => NativeMethods.mada_optimizer_destroy(pointer);
}
