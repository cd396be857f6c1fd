using Mada.Cli.Commands;
using Mada.Cli.Tests.Infrastructure;

namespace Mada.Cli.Tests.Commands;

/// <summary><c>mada plot</c> writes PNG and SVG charts: the loss of all runs on one, the coefficients of each MADA run on its own.</summary>
public sealed class PlotCommandTests
{
    [Fact]
    public async Task OneRunGetsItsLossAndCoefficientChartsInItsFolder()
    {
        using var run = new TinyRun();
        await MadaProgram.RunAsync(run.Train("run"));

        var result = await MadaProgram.RunAsync("plot", run.PathOf("run"));

        string loss = Path.Combine(run.PathOf("run"), "loss.png");
        string coefficients = Path.Combine(run.PathOf("run"), "coefficients-mada.png");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            [loss, Path.ChangeExtension(loss, "svg"), coefficients, Path.ChangeExtension(coefficients, "svg")],
            result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Png.AssertIsPng(loss);
        Png.AssertIsPng(coefficients);
    }

    /// <summary>Adam reports coefficients too, but they never move: no chart for it.</summary>
    [Fact]
    public async Task SeveralRunsShareOneLossChartAndOnlyMovingCoefficientsAreCharted()
    {
        using var run = new TinyRun();
        await MadaProgram.RunAsync(run.Train("runs/mada"));
        await MadaProgram.RunAsync(run.Train("runs/adam", more: ["--optimizer", "adam"]));
        string charts = run.PathOf("charts");

        var result = await MadaProgram.RunAsync("plot", run.PathOf("runs/mada"), run.PathOf("runs/adam"), "--out", charts);

        Assert.Equal(0, result.ExitCode);
        Png.AssertIsPng(Path.Combine(charts, "loss.png"));
        Png.AssertIsPng(Path.Combine(charts, "coefficients-mada.png"));
        Assert.False(File.Exists(Path.Combine(charts, "coefficients-adam.png")));
    }

    [Fact]
    public void WithoutOutTheChartsGoWhereTheRunsAre()
    {
        Assert.Equal("/work/runs/x", PlotCommand.SharedFolder(["/work/runs/x"]));
        Assert.Equal("/work/runs/cmp", PlotCommand.SharedFolder(["/work/runs/cmp/mada", "/work/runs/cmp/adam/"]));
        Assert.Equal("/work/runs", PlotCommand.SharedFolder(["/work/runs/a", "/work/runs/ab"]));
        Assert.Equal("/", PlotCommand.SharedFolder(["/a", "/b"]));
    }
}
