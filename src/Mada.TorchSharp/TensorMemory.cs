using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Mada.TorchSharp;

// Mada.Tensor (the façade's own tensor) would otherwise win over TorchSharp's in this namespace.
using Tensor = global::TorchSharp.torch.Tensor;

/// <summary>
/// Where a TorchSharp tensor's elements are, for the kernel core: its data pointer (storage
/// plus offset), after the checks that make that pointer a valid float32 buffer of a known size.
/// </summary>
internal static class TensorMemory
{
    /// <summary>The address of the first element of a CPU, float32, contiguous tensor of <paramref name="numel"/> elements.</summary>
    /// <exception cref="ArgumentException">The tensor is disposed, not float32, not on the CPU, not contiguous or of another size; <paramref name="where"/> names it.</exception>
    public static unsafe nint Of(Tensor tensor, long numel, in Where where)
    {
        if (tensor.IsInvalid || tensor.device_type != DeviceType.CPU || tensor.dtype != ScalarType.Float32 ||
            !tensor.is_contiguous() || tensor.numel() != numel)
        {
            Refuse(tensor, numel, where.ToString());
        }
        // `bytes` spans the tensor's own memory (storage plus offset); it copies nothing.
        return (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(tensor.bytes));
    }

    private static void Refuse(Tensor tensor, long numel, string what)
    {
        if (tensor.IsInvalid)
        {
            throw new ArgumentException($"{what} is a disposed tensor.");
        }
        if (tensor.device_type != DeviceType.CPU)
        {
            throw new ArgumentException(
                $"{what} is on {tensor.device}; Mada.TorchSharp steps CPU tensors (the CUDA step is not in this build).");
        }
        if (tensor.dtype != ScalarType.Float32)
        {
            throw new ArgumentException($"{what} has dtype {tensor.dtype}; Mada.TorchSharp steps float32 tensors.");
        }
        if (!tensor.is_contiguous())
        {
            throw new ArgumentException($"{what} is not contiguous; make the parameter contiguous before creating the optimizer.");
        }
        throw new ArgumentException(
            $"{what} has {tensor.numel()} elements, but the optimizer was built for {numel}: parameters must keep their size.");
    }

    /// <summary>Which tensor of the optimizer this is, for messages: formatted only when one is refused.</summary>
    public readonly record struct Where(int Group, int Index, bool IsGradient)
    {
        public override string ToString() =>
            $"{(IsGradient ? "the gradient of " : "")}parameter {Index} of group {Group}";
    }
}
