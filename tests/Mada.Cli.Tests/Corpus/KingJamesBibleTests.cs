using Mada.Cli.Corpus;
using Mada.Tests.Checkpoints;

namespace Mada.Cli.Tests.Corpus;

/// <summary>The GPT's default corpus comes from Debian's bible-kjv, never from the network.</summary>
public sealed class KingJamesBibleTests
{
    [Fact]
    public void VerseReferencesAreStripped()
    {
        string verses = "Ge1:1 In the beginning God created the heaven and the earth.\nRev22:21 The grace of our Lord Jesus Christ be with you all. Amen.\n\n";

        Assert.Equal(
            "In the beginning God created the heaven and the earth.\nThe grace of our Lord Jesus Christ be with you all. Amen.\n",
            KingJamesBible.StripReferences(verses));
    }

    [Fact]
    public void WithoutTheBibleProgramTheErrorSaysHowToInstallIt()
    {
        using var cache = new TemporaryDirectory();
        var bible = new KingJamesBible(Path.Combine(cache.Path, "no-bible-here"), cache.Path);

        var error = Assert.Throws<CliException>(bible.EnsureCached);

        Assert.Contains("./build.sh setup installs it", error.Message, StringComparison.Ordinal);
        Assert.Contains("bible-kjv", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Needs Debian's bible-kjv (./build.sh setup); reads the whole text, about 4 MB, in a fraction of a second.</summary>
    [Fact]
    public void TheWholeTextIsCachedOnceFromGenesisToRevelation()
    {
        using var cache = new TemporaryDirectory();
        var bible = new KingJamesBible("/usr/bin/bible", cache.Path);

        string path = bible.EnsureCached();
        string text = File.ReadAllText(path);
        var written = File.GetLastWriteTimeUtc(path);

        Assert.Equal(Path.Combine(cache.Path, "kjv.txt"), path);
        Assert.StartsWith("In the beginning God created the heaven and the earth.\n", text, StringComparison.Ordinal);
        Assert.EndsWith("The grace of our Lord Jesus Christ be with you all. Amen.\n", text, StringComparison.Ordinal);
        Assert.Equal(31102, text.Count(c => c == '\n'));
        Assert.Equal(path, bible.EnsureCached());
        Assert.Equal(written, File.GetLastWriteTimeUtc(path));
    }
}
