using Mada.Cli.Commands;

namespace Mada.Cli.Tests.Commands;

/// <summary>The library's messages in terms of flags: its option names become the flags that set them, and nothing else changes.</summary>
public sealed class TrainingOptionsTests
{
    [Theory]
    [InlineData("invalid trainer option: warmup_steps must lie in [0, total_steps)", "invalid trainer option: --warmup must lie in [0, --steps)")]
    [InlineData("invalid trainer option: batch_size must be >= 1", "invalid trainer option: --batch-size must be >= 1")]
    [InlineData("invalid MADA option: q0.gamma = 2 lies outside its bounds [0, 1]", "invalid MADA option: --gamma = 2 lies outside its bounds [0, 1]")]
    // Names inside longer names (no flag sets them) and inside paths are not option names.
    [InlineData("widen lower.beta1 / upper.beta1; hyper_lr.beta1 = -1", "widen lower.beta1 / upper.beta1; hyper_lr.beta1 = -1")]
    [InlineData("/data/lr/seed/t10k-images-idx3-ubyte.gz is not a readable gzip file", "/data/lr/seed/t10k-images-idx3-ubyte.gz is not a readable gzip file")]
    public void LibraryNamesBecomeFlags(string message, string inFlagTerms)
    {
        Assert.Equal(inFlagTerms, new TrainingOptions().InFlagTerms(message));
    }
}
