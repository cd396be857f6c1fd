namespace Mada.Cli.Tests.Infrastructure;

internal static class Png
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Fails unless <paramref name="path"/> is a PNG file of more than its signature.</summary>
    public static void AssertIsPng(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written.");
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > Signature.Length, $"{path} holds {bytes.Length} bytes.");
        Assert.Equal(Signature, bytes[..Signature.Length]);
    }
}
