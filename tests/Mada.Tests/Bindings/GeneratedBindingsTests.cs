using Mada.Bindings.Generator;
using Mada.Tests.Infrastructure;

namespace Mada.Tests.Bindings;

/// <summary>The committed bindings are exactly what the generator makes from the committed header.</summary>
public sealed class GeneratedBindingsTests
{
    [Fact]
    public void CommittedBindingsEqualAFreshGeneration()
    {
        string fresh = BindingGenerator.Generate(
            RepoLayout.Header, new BindingOptions { SourceName = RepoLayout.HeaderSourceName });
        string committed = File.ReadAllText(RepoLayout.GeneratedBindings);

        if (fresh != committed)
        {
            string[] freshLines = fresh.Split('\n');
            string[] committedLines = committed.Split('\n');
            int line = 0;
            while (line < Math.Min(freshLines.Length, committedLines.Length) && freshLines[line] == committedLines[line])
            {
                line++;
            }
            Assert.Fail(
                $"bindings/Mada.Native.g.cs is stale; first difference at line {line + 1}:\n" +
                $"  committed: {(line < committedLines.Length ? committedLines[line] : "<end of file>")}\n" +
                $"  generated: {(line < freshLines.Length ? freshLines[line] : "<end of file>")}\n" +
                "Regenerate: dotnet run --project bindings/Mada.Bindings.Generator -- native/include/mada/mada.h bindings/Mada.Native.g.cs");
        }
    }
}
