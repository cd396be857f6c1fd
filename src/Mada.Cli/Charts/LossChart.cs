using ScottPlot;

namespace Mada.Cli.Charts;

/// <summary>Training and evaluation loss of one or several runs against the step, on one chart.</summary>
internal static class LossChart
{
    /// <summary>Steps averaged for the training curve, as a share of the run: one batch's loss is noise.</summary>
    private const int SmoothingDivisor = 50;

    public static void Write(IReadOnlyList<LabeledRun> runs, string path)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < runs.Count; i++)
        {
            var (label, record) = runs[i];
            var color = palette.GetColor(i);
            double[] steps = record.Steps.Select(row => (double)row.Step).ToArray();
            double[] losses = record.Steps.Select(row => row.Loss).ToArray();

            var train = plot.Add.ScatterLine(steps, MovingAverage(losses, Math.Max(1, losses.Length / SmoothingDivisor)));
            train.LegendText = $"{label} train";
            train.Color = color;
            train.LineWidth = 2;

            var evaluated = record.Steps.Where(row => row.EvalLoss.HasValue).ToArray();
            if (evaluated.Length > 0)
            {
                var eval = plot.Add.Scatter(
                    evaluated.Select(row => (double)row.Step).ToArray(),
                    evaluated.Select(row => row.EvalLoss!.Value).ToArray());
                eval.LegendText = $"{label} eval";
                eval.Color = color;
                eval.LinePattern = LinePattern.Dashed;
                eval.MarkerSize = 6;
            }
        }
        plot.Title("Loss");
        plot.XLabel("step");
        plot.YLabel("cross-entropy");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 1000, 600);
    }

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
