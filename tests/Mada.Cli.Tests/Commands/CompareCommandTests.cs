using System.Text.Json;
using Mada.Cli.Tests.Infrastructure;

namespace Mada.Cli.Tests.Commands;

/// <summary><c>mada compare</c>: one run per optimizer on the same data, the table, the charts.</summary>
public sealed class CompareCommandTests
{
    [Fact]
    public async Task EachOptimizerGetsARunARowAndALineOnTheLossChart()
    {
        using var run = new TinyRun();
        string output = run.PathOf("cmp");

        var result = await MadaProgram.RunAsync(
            "compare", "--model", "mlp", "--width", "8", "--data", run.Data, "--steps", "4", "--batch-size", "4",
            "--optimizers", "mada,sgd", "--out", output);

        Assert.Equal(0, result.ExitCode);
        foreach (string optimizer in new[] { "mada", "sgd" })
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, optimizer, "metrics.json")));
            Assert.Equal(optimizer, json.RootElement.GetProperty("run").GetProperty("optimizer").GetString());
            Assert.Contains($"│ {optimizer} ", result.Output, StringComparison.Ordinal);
        }
        foreach (string column in new[] { "optimizer", "final train loss", "eval loss", "eval accuracy", "time" })
        {
            Assert.Contains(column, result.Output, StringComparison.Ordinal);
        }
        Png.AssertIsPng(Path.Combine(output, "loss.png"));
        Png.AssertIsPng(Path.Combine(output, "coefficients-mada.png"));
        Assert.Contains(Path.Combine(output, "loss.png"), result.Output, StringComparison.Ordinal);
    }
}
