using System.Runtime.InteropServices;

namespace Mada.Tests.Checkpoints;

/// <summary>The tool's parameter format: the raw little-endian float32 values of all tensors, concatenated in file order.</summary>
internal static class ParameterFile
{
    public static void Write(string path, IReadOnlyList<Tensor> parameters)
    {
        Assert.True(BitConverter.IsLittleEndian, "The parameter file format is little-endian.");
        using var stream = File.Create(path);
        foreach (var parameter in parameters)
        {
            stream.Write(MemoryMarshal.AsBytes(parameter.ToArray().AsSpan()));
        }
    }

    /// <summary>Splits the file into one array per tensor of the given sizes; the sizes must add up to the file.</summary>
    public static List<float[]> Read(string path, IReadOnlyList<int> counts)
    {
        Assert.True(BitConverter.IsLittleEndian, "The parameter file format is little-endian.");
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length == counts.Sum() * sizeof(float), $"{path} holds {bytes.Length} bytes, expected {counts.Sum()} floats.");
        var values = MemoryMarshal.Cast<byte, float>(bytes);
        var tensors = new List<float[]>();
        int offset = 0;
        foreach (int count in counts)
        {
            tensors.Add(values.Slice(offset, count).ToArray());
            offset += count;
        }
        return tensors;
    }
}
