using System.Text.Json;
using System.Text.RegularExpressions;
using Mada.Cli.Tests.Infrastructure;

namespace Mada.Cli.Tests.Commands;

/// <summary><c>mada sweep</c>: a grid of initial coefficients per optimizer, heatmaps, summary files, resume, bad grids.</summary>
public sealed class SweepCommandTests
{
    private static readonly string[] Grid = ["--beta1", "0.5,0.9", "--beta2", "0.6,0.95", "--optimizers", "mada,hyperadam"];

    private static readonly string[] Runs =
    [
        "mada/beta1-0.5_beta2-0.6", "mada/beta1-0.9_beta2-0.6", "mada/beta1-0.5_beta2-0.95", "mada/beta1-0.9_beta2-0.95",
        "hyperadam/beta1-0.5_beta2-0.6", "hyperadam/beta1-0.9_beta2-0.6", "hyperadam/beta1-0.5_beta2-0.95", "hyperadam/beta1-0.9_beta2-0.95",
    ];

    [Fact]
    public async Task ATwoByTwoSweepWritesARunPerCellTheHeatmapsAndTheSummary()
    {
        using var run = new TinyRun();
        string output = run.PathOf("sweep");

        var result = await MadaProgram.RunAsync(run.Sweep("sweep", steps: 3, Grid));

        Assert.Equal(0, result.ExitCode);
        foreach (string folder in Runs)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, folder, "metrics.json")));
            var start = json.RootElement.GetProperty("run").GetProperty("initial_coefficients");
            string[] parts = Path.GetFileName(folder).Split('_');
            Assert.Equal(parts[0]["beta1-".Length..], start.GetProperty("beta1").GetDouble().ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(parts[1]["beta2-".Length..], start.GetProperty("beta2").GetDouble().ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        }
        foreach (string chart in new[] { "loss-mada", "loss-hyperadam", "loss-hyperadam-vs-mada" })
        {
            ChartImage.AssertIsDrawnPng(Path.Combine(output, $"{chart}.png"));
            ChartImage.AssertIsDrawnSvg(Path.Combine(output, $"{chart}.svg"));
        }
        // Without adam among them, the first optimizer is the baseline: it has no difference chart.
        Assert.False(File.Exists(Path.Combine(output, "loss-mada-vs-mada.png")));

        var summary = Summary(output);
        Assert.Equal("mada", summary.GetProperty("grid").GetProperty("baseline").GetString());
        var cells = summary.GetProperty("cells").EnumerateArray().ToList();
        Assert.Equal(8, cells.Count);
        Assert.All(cells, cell => Assert.Equal("finished", cell.GetProperty("status").GetString()));
        Assert.All(cells, cell => Assert.True(double.IsFinite(cell.GetProperty("train_loss").GetDouble())));
        Assert.Equal(4, cells.Count(cell => cell.GetProperty("train_loss_vs_baseline").ValueKind == JsonValueKind.Number));
        string[] csv = File.ReadAllLines(Path.Combine(output, "sweep.csv"));
        Assert.Equal("optimizer,beta1,beta2,status,train_loss,baseline,train_loss_vs_baseline,eval_loss,eval_accuracy,seconds,folder", csv[0]);
        Assert.Equal(9, csv.Length);
        Assert.Contains("[8/8] hyperadam --beta1 0.9 --beta2 0.95: 7 of 8 runs done, about", result.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// --jobs 2: the runs go side by side in child processes (one thread each here), their output in
    /// logs/, and every cell holds what the same sweep trained one run at a time holds (up to the
    /// float reduction order of libtorch at another thread count).
    /// </summary>
    [Fact]
    public async Task SideBySideRunsGiveTheCellsOfOneAtATime()
    {
        using var run = new TinyRun();

        var alone = await MadaProgram.RunAsync(run.Sweep("one", steps: 3, Grid));
        var sideBySide = await MadaProgram.RunAsync(run.Sweep("two", steps: 3, [.. Grid, "--jobs", "2"]));

        Assert.Equal(0, alone.ExitCode);
        Assert.True(sideBySide.ExitCode == 0, sideBySide.Output + sideBySide.Error);
        var expected = Summary(run.PathOf("one")).GetProperty("cells").EnumerateArray().ToList();
        var actual = Summary(run.PathOf("two")).GetProperty("cells").EnumerateArray().ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal("finished", actual[i].GetProperty("status").GetString());
            Assert.Equal(expected[i].GetProperty("folder").GetString(), actual[i].GetProperty("folder").GetString());
            double want = expected[i].GetProperty("train_loss").GetDouble(), got = actual[i].GetProperty("train_loss").GetDouble();
            Assert.True(Math.Abs(got - want) <= 1e-4 * Math.Abs(want), $"cell {i}: {got} alone {want}");
        }
        Assert.Contains("started, output in", sideBySide.Output, StringComparison.Ordinal);
        string log = File.ReadAllText(Path.Combine(run.PathOf("two"), "logs", "run-1.log"));
        Assert.Contains(Path.Combine(run.PathOf("two"), "mada"), log, StringComparison.Ordinal);
        ChartImage.AssertIsDrawnPng(Path.Combine(run.PathOf("two"), "loss-mada.png"));
    }

    /// <summary>--modes paper,reference: one sweep per mode, each a complete sweep in its own folder.</summary>
    [Fact]
    public async Task BothModesAreTwoSweepsInTheirOwnFolders()
    {
        using var run = new TinyRun();
        string output = run.PathOf("sweep");

        var result = await MadaProgram.RunAsync(run.Sweep(
            "sweep", steps: 2, "--optimizers", "mada", "--beta1", "0.8", "--beta2", "0.9,0.95", "--modes", "paper,reference"));

        Assert.Equal(0, result.ExitCode);
        foreach (string mode in new[] { "paper", "reference" })
        {
            var cells = Summary(Path.Combine(output, mode)).GetProperty("cells").EnumerateArray().ToList();
            Assert.Equal(2, cells.Count);
            Assert.All(cells, cell => Assert.Equal("finished", cell.GetProperty("status").GetString()));
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, mode, "mada", "beta1-0.8_beta2-0.9", "metrics.json")));
            Assert.Equal(mode, json.RootElement.GetProperty("run").GetProperty("mode").GetString());
        }
    }

    [Fact]
    public async Task ARunThatDivergesIsACellThatSaysSo()
    {
        using var run = new TinyRun();
        string output = run.PathOf("sweep");

        var result = await MadaProgram.RunAsync(run.Sweep("sweep", steps: 4, "--beta1", "0.5", "--beta2", "0.6,0.9", "--optimizers", "adam", "--lr", "1e9"));

        Assert.True(result.ExitCode == 0, result.Error);
        var cells = Summary(output).GetProperty("cells").EnumerateArray().ToList();
        Assert.Equal(2, cells.Count);
        Assert.All(cells, cell => Assert.Contains(cell.GetProperty("status").GetString(), new[] { "diverged", "NaN" }));
        ChartImage.AssertIsDrawnPng(Path.Combine(output, "loss-adam.png"));
        Assert.Matches(@"│ 0\.6 +│ +(diverged|NaN) │", result.Output);
    }

    /// <summary>One run's results gone (as if the sweep was stopped during it): only that run trains again; the others' files are untouched.</summary>
    [Fact]
    public async Task AnInterruptedSweepResumesWithTheMissingRunAlone()
    {
        using var run = new TinyRun();
        string output = run.PathOf("sweep");
        Assert.Equal(0, (await MadaProgram.RunAsync(run.Sweep("sweep", steps: 3, Grid))).ExitCode);
        string missing = Path.Combine(output, Runs[5], "metrics.json");
        File.Delete(missing);
        var before = Runs.Where((_, i) => i != 5).ToDictionary(folder => folder, folder => File.GetLastWriteTimeUtc(Path.Combine(output, folder, "metrics.json")));

        var result = await MadaProgram.RunAsync(run.Sweep("sweep", steps: 3, Grid));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("7 of 8 runs finished before and are kept", result.Output, StringComparison.Ordinal);
        Assert.Equal(7, Regex.Count(result.Output, "finished before, kept"));
        Assert.Contains("[4/8] hyperadam --beta1 0.9 --beta2 0.6: 7 of 8 runs done", result.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(missing));
        Assert.All(before, pair => Assert.Equal(pair.Value, File.GetLastWriteTimeUtc(Path.Combine(output, pair.Key, "metrics.json"))));
        Assert.Equal(8, Summary(output).GetProperty("cells").EnumerateArray().Count(cell => cell.GetProperty("status").GetString() == "finished"));
    }

    [Theory]
    [InlineData(3, "--lr", "0.01", "trained with --lr 0.001, and this sweep would with --lr 0.01")]
    [InlineData(4, "--seed", "0", "trained with --steps 3, and this sweep would with --steps 4")]
    [InlineData(3, "--beta2", "0.6,0.8",
        "holds a sweep of --beta1 0.5,0.9 --beta2 0.6,0.95 --optimizers mada,hyperadam, and this one is of --beta1 0.5,0.9 --beta2 0.6,0.8")]
    public async Task ResumingWithAChangedSettingIsRefusedAndChangesNothing(int steps, string flag, string value, string message)
    {
        using var run = new TinyRun();
        string output = run.PathOf("sweep");
        Assert.Equal(0, (await MadaProgram.RunAsync(run.Sweep("sweep", steps: 3, Grid))).ExitCode);
        File.Delete(Path.Combine(output, Runs[0], "metrics.json"));
        var before = Snapshot(output);
        string[] changed = [.. Grid];
        int given = Array.IndexOf(changed, flag);
        changed = given >= 0 ? [.. changed[..(given + 1)], value, .. changed[(given + 2)..]] : [.. changed, flag, value];

        var result = await MadaProgram.RunAsync(run.Sweep("sweep", steps, changed));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(output));
    }

    [Theory]
    [InlineData("--beta1 , --beta2 0.6", "--beta1 takes a comma-separated list of values (0.5,0.7,0.9), not an empty one.")]
    [InlineData("--beta1 0.5,x --beta2 0.6", "--beta1 takes a comma-separated list of numbers (0.5,0.7,0.9); 'x' in '0.5,x' is not one.")]
    [InlineData("--beta1 0.5,0.5 --beta2 0.6", "--beta1 lists 0.5 twice")]
    [InlineData("--beta1 0.5,0.9", "a sweep takes exactly two coefficients, each with a list of initial values (--beta1 0.5,0.7,0.9 --beta2 0.6,0.8,0.95); given: --beta1.")]
    [InlineData("--beta1 0.5 --beta2 0.6 --rho 0.9", "a sweep takes exactly two coefficients, each with a list of initial values (--beta1 0.5,0.7,0.9 --beta2 0.6,0.8,0.95); given: --beta1, --beta2, --rho.")]
    [InlineData("--beta1 0.5,1.5 --beta2 0.6", "--beta1 = 1.5 lies outside its bounds [0.01, 0.99]")]
    [InlineData("--beta1 0.5 --beta2 0.6,0.3 --optimizers adam", "--beta2 = 0.3 lies outside its bounds [0.501, 0.99]; choose a start inside them or widen lower.beta2 / upper.beta2 (the bounds of adam)")]
    [InlineData("--beta1 0.5 --beta2 0.6 --optimizers mada,sgd", "--beta1 sets a MADA coefficient, but sgd is not of the MADA family.")]
    [InlineData("--beta1 0.5 --beta2 0.6 --optimizers mada --baseline adam", "--baseline adam is not among the optimizers swept (mada)")]
    public async Task ABadGridIsNamedAndWritesNothing(string grid, string message)
    {
        using var run = new TinyRun();

        var result = await MadaProgram.RunAsync(run.Sweep("sweep", steps: 2, grid.Split(' ')));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.False(Path.Exists(run.PathOf("sweep")));
    }

    private static JsonElement Summary(string output)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "sweep.json")));
        return document.RootElement.Clone();
    }

    /// <summary>Every file under <paramref name="directory"/> with its time and size.</summary>
    private static Dictionary<string, (DateTime, long)> Snapshot(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .ToDictionary(path => path, path => (File.GetLastWriteTimeUtc(path), new FileInfo(path).Length));
}
