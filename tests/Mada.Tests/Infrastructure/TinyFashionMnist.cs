using System.Buffers.Binary;
using System.IO.Compression;

namespace Mada.Tests.Infrastructure;

/// <summary>
/// Writes a Fashion-MNIST folder in miniature: the four gzip-compressed IDX files, 28x28 images
/// of seeded noise, labels cycling through the ten classes. Small enough to train on in milliseconds.
/// </summary>
internal static class TinyFashionMnist
{
    public const int Side = 28;

    public static void Write(string directory, int trainImages, int testImages, int seed = 1)
    {
        var random = new Random(seed);
        WriteSplit(directory, "train", trainImages, random);
        WriteSplit(directory, "t10k", testImages, random);
    }

    private static void WriteSplit(string directory, string prefix, int count, Random random)
    {
        byte[] pixels = new byte[count * Side * Side];
        random.NextBytes(pixels);
        byte[] labels = Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();
        WriteIdx(Path.Combine(directory, $"{prefix}-images-idx3-ubyte.gz"), magic: 0x0803, [count, Side, Side], pixels);
        WriteIdx(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte.gz"), magic: 0x0801, [count], labels);
    }

    /// <summary>IDX: a big-endian magic (0x08 = unsigned bytes, then the dimension count), big-endian dimensions, the bytes.</summary>
    private static void WriteIdx(string path, int magic, int[] dimensions, byte[] data)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        Span<byte> word = stackalloc byte[4];
        foreach (int value in (int[])[magic, .. dimensions])
        {
            BinaryPrimitives.WriteInt32BigEndian(word, value);
            gzip.Write(word);
        }
        gzip.Write(data);
    }
}
