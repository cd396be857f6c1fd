using Mada.Cli.Metrics;
using ScottPlot;

namespace Mada.Cli.Charts;

/// <summary>
/// Training and evaluation loss of one or several groups of runs against the step, on one chart:
/// per group the training loss (smoothed) and the evaluations (marked points), each the mean over
/// the group's seeds with their range (a band, error bars) where there are several.
/// </summary>
internal static class LossChart
{
    /// <summary>Steps averaged for the training curve, as a share of the run: one batch's loss is noise.</summary>
    private const int SmoothingDivisor = 50;

    /// <summary>Opacity of a band: the lines of other groups stay visible through it.</summary>
    private const double BandAlpha = 0.2;

    /// <summary>Writes the chart as <paramref name="basePath"/>.png and .svg; returns their paths.</summary>
    public static string[] Write(IReadOnlyList<SeedGroup> groups, string basePath)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < groups.Count; i++)
        {
            var (label, runs) = groups[i];
            var color = palette.GetColor(i);
            string seeds = runs.Count > 1 ? $" ({runs.Count} seeds)" : string.Empty;

            var train = SeedBand.Of(runs.Select(SmoothedTrainLoss).ToList());
            if (runs.Count > 1)
            {
                var band = plot.Add.FillY(train.Steps, train.Low, train.High);
                band.FillColor = color.WithAlpha(BandAlpha);
                band.LineWidth = 0;
            }
            var trainLine = plot.Add.ScatterLine(train.Steps, train.Mean);
            trainLine.LegendText = $"{label} train{seeds}";
            trainLine.Color = color;
            trainLine.LineWidth = 2;

            var eval = SeedBand.Of(runs.Select(EvalLoss).ToList());
            if (eval.Steps.Length == 0)
            {
                continue;
            }
            var evalPoints = plot.Add.Scatter(eval.Steps, eval.Mean);
            evalPoints.LegendText = $"{label} eval{seeds}";
            evalPoints.Color = color;
            // Thin and solid: Skia's SVG canvas draws no dashes (and says so on standard output).
            evalPoints.LineWidth = 1;
            evalPoints.MarkerShape = MarkerShape.FilledCircle;
            evalPoints.MarkerSize = 7;
            if (runs.Count > 1)
            {
                var range = plot.Add.ErrorBar(
                    eval.Steps, eval.Mean, eval.Mean.Select((mean, j) => eval.High[j] - mean).ToArray());
                range.YErrorNegative = eval.Mean.Select((mean, j) => mean - eval.Low[j]).ToArray();
                range.LineColor = color;
            }
        }
        plot.Title(groups.Any(group => group.Runs.Count > 1) ? "Loss: the mean over seeds, their min..max as band and bars" : "Loss");
        plot.XLabel("step");
        plot.YLabel("cross-entropy");
        // Beside the data, not over it: with a band per group the legend is long.
        plot.ShowLegend(Edge.Right);
        return ChartFile.Save(new Multiplot(plot), basePath, 1200, 600);
    }

    private static IReadOnlyList<(long, double)> SmoothedTrainLoss(RunRecord run)
    {
        double[] losses = run.Steps.Select(row => row.Loss).ToArray();
        double[] smoothed = MovingAverage(losses, Math.Max(1, losses.Length / SmoothingDivisor));
        return run.Steps.Select((row, i) => (row.Step, smoothed[i])).ToList();
    }

    private static IReadOnlyList<(long, double)> EvalLoss(RunRecord run) =>
        run.Steps.Where(row => row.EvalLoss.HasValue).Select(row => (row.Step, row.EvalLoss!.Value)).ToList();

    /// <summary>Mean of each value and the up to <paramref name="window"/> - 1 before it.</summary>
    private static double[] MovingAverage(double[] values, int window)
    {
        double[] averaged = new double[values.Length];
        double sum = 0;
        for (int i = 0; i < values.Length; i++)
        {
            sum += values[i];
            if (i >= window)
            {
                sum -= values[i - window];
            }
            averaged[i] = sum / Math.Min(i + 1, window);
        }
        return averaged;
    }
}
