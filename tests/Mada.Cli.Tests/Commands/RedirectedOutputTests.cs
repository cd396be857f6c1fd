using Mada.Cli.Tests.Infrastructure;

namespace Mada.Cli.Tests.Commands;

/// <summary>Output into a file or a pipe, which has no width: lines are written whole, never wrapped at 80 columns.</summary>
public sealed class RedirectedOutputTests
{
    [Fact]
    public void RedirectedOutputKeepsEachLineWhole()
    {
        using var run = new TinyRun();
        // A folder name longer than any terminal line, so that every line naming it is too.
        string folder = run.PathOf(new string('r', 120));

        var result = MadaProcess.Run(run.Train(folder));

        Assert.Equal(0, result.ExitCode);
        string[] lines = result.Output.Split('\n').Select(line => line.TrimEnd()).ToArray();
        Assert.Contains($"checkpoint: {Path.Combine(folder, "checkpoint.pt")}", lines);
        Assert.Contains(lines, line => line.StartsWith("mada: mlp", StringComparison.Ordinal) && line.EndsWith($"-> {folder}", StringComparison.Ordinal));
    }
}
