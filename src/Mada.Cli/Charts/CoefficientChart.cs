using ScottPlot;

namespace Mada.Cli.Charts;

/// <summary>The six MADA coefficients of one run against the step: where between Adam, AVGrad, Yogi, Adan and Lion it moved.</summary>
internal static class CoefficientChart
{
    private static readonly (Coefficient Coefficient, string Name)[] Lines =
    [
        (Coefficient.Beta1, "β1"),
        (Coefficient.Beta2, "β2"),
        (Coefficient.Beta3, "β3"),
        (Coefficient.Rho, "ρ"),
        (Coefficient.C, "c"),
        (Coefficient.Gamma, "γ"),
    ];

    /// <summary>True when the run reported coefficients and at least one of them moved.</summary>
    public static bool HasTrajectory(LabeledRun run)
    {
        var coefficients = run.Record.Steps.Where(row => row.Coefficients.HasValue).Select(row => row.Coefficients!.Value).ToList();
        return coefficients.Count > 1 && coefficients.Any(q => q != coefficients[0]);
    }

    public static void Write(LabeledRun run, string path)
    {
        var rows = run.Record.Steps.Where(row => row.Coefficients.HasValue).ToArray();
        double[] steps = rows.Select(row => (double)row.Step).ToArray();
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < Lines.Length; i++)
        {
            var (coefficient, name) = Lines[i];
            var line = plot.Add.ScatterLine(steps, rows.Select(row => row.Coefficients!.Value[coefficient]).ToArray());
            line.LegendText = name;
            line.Color = palette.GetColor(i);
            line.LineWidth = 2;
        }
        plot.Title($"MADA coefficients ({run.Label})");
        plot.XLabel("step");
        plot.YLabel("value");
        plot.Axes.SetLimitsY(-0.05, 1.05);
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 1000, 600);
    }
}
