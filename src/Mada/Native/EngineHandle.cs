namespace Mada.Native;

/// <summary>A mada_engine of libmada_kernels; destroying it frees the optimizer state, never the caller's parameters.</summary>
internal sealed class EngineHandle(nint pointer) : MadaHandle(pointer)
{
    protected override void Destroy(nint pointer) => KernelMethods.mada_engine_destroy(pointer);
}
