using Mada.Bindings.Generator;
using Mada.Tests.Infrastructure;

namespace Mada.Tests.Bindings;

/// <summary>Each committed bindings file is exactly what the generator makes from its committed header.</summary>
public sealed class GeneratedBindingsTests
{
    /// <summary>Guards against the list shrinking unnoticed: both libraries have bindings.</summary>
    [Fact]
    public void BothLibrariesHaveCommittedBindings()
    {
        Assert.Equal(
            ["bindings/Mada.Kernels.g.cs", "bindings/Mada.Native.g.cs"],
            CommittedBindings.All.Select(target => target.Output).Order(StringComparer.Ordinal));
    }

    public static TheoryData<string> Outputs() => new(CommittedBindings.All.Select(target => target.Output));

    [Theory]
    [MemberData(nameof(Outputs))]
    public void CommittedBindingsEqualAFreshGeneration(string output)
    {
        var target = CommittedBindings.All.Single(t => t.Output == output);
        string fresh = BindingGenerator.Generate(RepoLayout.PathOf(target.Header), target.Options(RepoLayout.Root));
        string committed = File.ReadAllText(RepoLayout.PathOf(target.Output));

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
                $"{target.Output} is stale; first difference at line {line + 1}:\n" +
                $"  committed: {(line < committedLines.Length ? committedLines[line] : "<end of file>")}\n" +
                $"  generated: {(line < freshLines.Length ? freshLines[line] : "<end of file>")}\n" +
                "Regenerate from the repository root: dotnet run --project bindings/Mada.Bindings.Generator -- --all");
        }
    }
}
