using Mada.Cli.Metrics;
using Mada.Cli.Tests.Infrastructure;
using Mada.Tests.Checkpoints;

namespace Mada.Cli.Tests.Charts;

/// <summary>
/// <c>mada plot</c> on run folders written here (no training): runs that differ only in seed are
/// one curve with a band, and each group of MADA runs gets one chart of small multiples.
/// </summary>
public sealed class RunChartsTests
{
    private const int Steps = 40;

    [Fact]
    public async Task SeedsOfOneOptimizerAreChartedTogetherAsPngAndSvg()
    {
        using var directory = new TemporaryDirectory();
        string[] runs =
        [
            .. new ulong[] { 0, 1, 2 }.Select(seed => Write(directory.File($"mada/seed-{seed}"), "mada", seed)),
            .. new ulong[] { 0, 1, 2 }.Select(seed => Write(directory.File($"adam/seed-{seed}"), "adam", seed)),
        ];

        var result = await MadaProgram.RunAsync(["plot", .. runs]);

        Assert.Equal(0, result.ExitCode);
        string[] expected = ["loss.png", "loss.svg", "coefficients-mada.png", "coefficients-mada.svg"];
        Assert.Equal(
            expected.Select(directory.File),
            result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        ChartImage.AssertIsDrawnPng(directory.File("loss.png"));
        ChartImage.AssertIsDrawnPng(directory.File("coefficients-mada.png"));
        ChartImage.AssertIsDrawnSvg(directory.File("loss.svg"));
        ChartImage.AssertIsDrawnSvg(directory.File("coefficients-mada.svg"));
    }

    /// <summary>A single run of the MADA family, as <c>mada train</c> wrote it before seeds: its own lines, no band.</summary>
    [Fact]
    public async Task ASingleRunIsChartedWithoutABand()
    {
        using var directory = new TemporaryDirectory();
        string run = Write(directory.File("run"), "mada", seed: 0);

        var result = await MadaProgram.RunAsync("plot", run);

        Assert.Equal(0, result.ExitCode);
        ChartImage.AssertIsDrawnPng(Path.Combine(run, "loss.png"));
        ChartImage.AssertIsDrawnPng(Path.Combine(run, "coefficients-mada.png"));
        ChartImage.AssertIsDrawnSvg(Path.Combine(run, "coefficients-mada.svg"));
    }

    /// <summary>
    /// A run folder with a metrics.json of <see cref="Steps"/> steps: a loss that falls with some
    /// seed-dependent noise, an evaluation every 10 steps, and for MADA small moves of the
    /// coefficients (rho from 1 to 0.999), the kind a shared 0..1 axis would flatten.
    /// </summary>
    private static string Write(string folder, string optimizer, ulong seed)
    {
        Directory.CreateDirectory(folder);
        var noise = new Random((int)seed);
        var rows = Enumerable.Range(1, Steps).Select(step =>
        {
            double progress = step / (double)Steps;
            Coefficients? q = optimizer == "mada"
                ? new Coefficients(0.9 - 0.01 * progress, 0.95 + 0.001 * progress, 0.002 * progress * (seed + 1), 1 - 0.001 * progress, 1, 1 - 0.05 * progress)
                : null;
            bool evaluated = step % 10 == 0;
            return new MetricsRow(
                step, 2.3 - progress + 0.1 * noise.NextDouble(), 1e-3, 1, q,
                evaluated ? 2.2 - progress + 0.05 * seed : null, evaluated ? 0.1 + 0.5 * progress : null, step * 0.01);
        }).ToArray();
        var info = new RunInfo { Model = "mlp", Optimizer = optimizer, Data = "synthetic", Steps = Steps, BatchSize = 4, Lr = 1e-3, Seed = seed };
        new RunRecord(info, rows).Save(folder);
        return folder;
    }
}
