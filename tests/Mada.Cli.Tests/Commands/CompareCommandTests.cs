using System.Globalization;
using System.Text.Json;
using Mada.Cli.Tests.Infrastructure;

namespace Mada.Cli.Tests.Commands;

/// <summary><c>mada compare</c>: one run per optimizer and seed on the same data, the table, the summary files, the charts.</summary>
public sealed class CompareCommandTests
{
    [Fact]
    public async Task EachOptimizerGetsARunARowAndALineOnTheLossChart()
    {
        using var run = new TinyRun();
        string output = run.PathOf("cmp");

        var result = await MadaProgram.RunAsync(run.Compare("cmp", steps: 4, "--optimizers", "mada,sgd"));

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
        // Without adam among them, the first optimizer is the baseline.
        Assert.Equal("mada", Summary(output).GetProperty("baseline").GetString());
    }

    /// <summary>
    /// --seeds 2: every optimizer at seeds 0 and 1. At one seed both start from the same weights on
    /// the same first batch, so their first losses are equal; the two seeds' are not.
    /// </summary>
    [Fact]
    public async Task EveryOptimizerRunsAtEverySeedPairedAndSummarised()
    {
        using var run = new TinyRun();
        string output = run.PathOf("cmp");
        string[] optimizers = ["mada", "adam", "sgd"];

        var result = await MadaProgram.RunAsync(run.Compare("cmp", steps: 3, "--optimizers", string.Join(',', optimizers), "--seeds", "2"));

        Assert.Equal(0, result.ExitCode);
        double FirstLoss(string optimizer, int seed) => double.Parse(
            File.ReadAllLines(Path.Combine(output, optimizer, $"seed-{seed}", "metrics.csv"))[1].Split(',')[1], CultureInfo.InvariantCulture);
        foreach (int seed in new[] { 0, 1 })
        {
            Assert.All(optimizers, optimizer => Assert.Equal(FirstLoss("mada", seed), FirstLoss(optimizer, seed)));
        }
        Assert.NotEqual(FirstLoss("mada", 0), FirstLoss("mada", 1));

        // adam is compared, so it is the baseline; the others are paired with it on both seeds.
        var summary = Summary(output);
        Assert.Equal("adam", summary.GetProperty("baseline").GetString());
        Assert.Equal([0, 1], summary.GetProperty("seeds").EnumerateArray().Select(seed => seed.GetInt32()));
        var results = summary.GetProperty("optimizers").EnumerateArray().ToList();
        Assert.Equal(optimizers, results.Select(result => result.GetProperty("optimizer").GetString()));
        Assert.All(results, result => Assert.Equal(2, result.GetProperty("eval_loss").GetProperty("count").GetInt32()));
        Assert.Equal(JsonValueKind.Null, results[1].GetProperty("eval_loss_vs_baseline").ValueKind);
        var versus = results[0].GetProperty("eval_loss_vs_baseline");
        Assert.Equal(2, new[] { "wins", "ties", "losses" }.Sum(count => versus.GetProperty(count).GetInt32()));

        string[] csv = File.ReadAllLines(Path.Combine(output, "summary.csv"));
        Assert.Equal(4, csv.Length);
        Assert.StartsWith("optimizer,seeds,train_loss_mean,train_loss_std,eval_loss_mean,eval_loss_std", csv[0], StringComparison.Ordinal);
        Assert.StartsWith("mada,2,", csv[1], StringComparison.Ordinal);

        Assert.Contains("±", result.Output, StringComparison.Ordinal);
        Assert.Contains("seeds won vs adam", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"│ adam +│[^\n]* baseline │", result.Output);
        Png.AssertIsPng(Path.Combine(output, "loss.png"));
        Png.AssertIsPng(Path.Combine(output, "coefficients-mada.png"));
        Assert.False(File.Exists(Path.Combine(output, "coefficients-seed-0.png")));
    }

    [Fact]
    public async Task TheBaselineCanBeChosen()
    {
        using var run = new TinyRun();
        string output = run.PathOf("cmp");

        var result = await MadaProgram.RunAsync(run.Compare("cmp", steps: 2, "--optimizers", "mada,sgd", "--baseline", "sgd", "--seeds", "3,5"));

        Assert.Equal(0, result.ExitCode);
        var summary = Summary(output);
        Assert.Equal("sgd", summary.GetProperty("baseline").GetString());
        Assert.Equal([3, 5], summary.GetProperty("seeds").EnumerateArray().Select(seed => seed.GetInt32()));
        Assert.True(File.Exists(Path.Combine(output, "sgd", "seed-5", "metrics.json")));
        Assert.Contains("seeds won vs sgd", result.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// --modes paper,reference: the whole comparison once per mode, each in its folder with its
    /// runs (recorded in that mode), its table and its summary. In reference mode MADA's first
    /// update already differs (no previous gradient, n starts at g^2), so its losses do too.
    /// </summary>
    [Fact]
    public async Task BothModesRunAsTwoComparisonsInTheirOwnFolders()
    {
        using var run = new TinyRun();
        string output = run.PathOf("cmp");

        var result = await MadaProgram.RunAsync(run.Compare("cmp", steps: 4, "--optimizers", "mada,adam", "--modes", "paper,reference"));

        Assert.Equal(0, result.ExitCode);
        foreach (string mode in new[] { "paper", "reference" })
        {
            string folder = Path.Combine(output, mode);
            foreach (string optimizer in new[] { "mada", "adam" })
            {
                using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, optimizer, "metrics.json")));
                Assert.Equal(mode, json.RootElement.GetProperty("run").GetProperty("mode").GetString());
            }
            Assert.Equal("adam", Summary(folder).GetProperty("baseline").GetString());
            Png.AssertIsPng(Path.Combine(folder, "loss.png"));
            Assert.Contains($"Mode {mode}:", result.Output, StringComparison.Ordinal);
        }
        Assert.NotEqual(
            File.ReadAllLines(Path.Combine(output, "paper", "mada", "metrics.csv"))[^1],
            File.ReadAllLines(Path.Combine(output, "reference", "mada", "metrics.csv"))[^1]);
    }

    private static JsonElement Summary(string output)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json")));
        return document.RootElement.Clone();
    }
}
