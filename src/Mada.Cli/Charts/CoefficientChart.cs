using System.Globalization;
using ScottPlot;

namespace Mada.Cli.Charts;

/// <summary>
/// The six MADA coefficients of a group of runs against the step, one panel each with its own
/// y-range: where between Adam, AVGrad, Yogi, Adan and Lion the runs moved. On one shared 0..1
/// axis a move such as rho 1 -> 0.999 would be a flat line.
/// </summary>
internal static class CoefficientChart
{
    private static readonly (Coefficient Coefficient, string Name)[] Panels =
    [
        (Coefficient.Beta1, "β1"),
        (Coefficient.Beta2, "β2"),
        (Coefficient.Beta3, "β3"),
        (Coefficient.Rho, "ρ"),
        (Coefficient.C, "c"),
        (Coefficient.Gamma, "γ"),
    ];

    /// <summary>The coefficient's symbol in titles and on axes: β1, ρ, γ.</summary>
    public static string SymbolOf(Coefficient coefficient) => Panels.First(panel => panel.Coefficient == coefficient).Name;

    /// <summary>The line at the coefficient's starting value: darker than the grid, lighter than the runs.</summary>
    private static readonly Color StartColor = Colors.DimGray;

    /// <summary>The lines at the optimizers MADA interpolates, named at the panel's edge.</summary>
    private static readonly Color FixedPointColor = Colors.Gray.WithAlpha(0.6);

    /// <summary>
    /// The values of a coefficient that make MADA one of the optimizers it interpolates (the
    /// others at Adam's): rho 0 is AVGrad, c 0 Yogi, gamma 0 Lion, and each at 1 (beta3 at 0)
    /// is Adam's. The betas have none: every point between their bounds is some Adam.
    /// </summary>
    private static readonly (Coefficient Coefficient, double Value, string Name)[] FixedPoints =
    [
        (Coefficient.Beta3, 0.0, "Adam"),
        (Coefficient.Rho, 1.0, "Adam"),
        (Coefficient.Rho, 0.0, "AVGrad"),
        (Coefficient.C, 1.0, "Adam"),
        (Coefficient.C, 0.0, "Yogi"),
        (Coefficient.Gamma, 1.0, "Adam"),
        (Coefficient.Gamma, 0.0, "Lion"),
    ];

    /// <summary>
    /// The fixed points of <paramref name="coefficient"/> a panel spanning [<paramref name="low"/>,
    /// <paramref name="high"/>] marks: those inside it, where a run sits at or passes through one. One
    /// outside would stretch the panel's own y-range until a small move is a flat line again.
    /// </summary>
    internal static IEnumerable<(double Value, string Name)> FixedPointsWithin(Coefficient coefficient, double low, double high) =>
        FixedPoints.Where(point => point.Coefficient == coefficient && point.Value >= low && point.Value <= high)
            .Select(point => (point.Value, point.Name));

    /// <summary>Half the y-range of a panel whose coefficient never moved: a flat line needs some range to sit in.</summary>
    private const double FlatHalfRange = 0.05;

    /// <summary>True when a run of the group reported coefficients and at least one of them moved.</summary>
    public static bool HasTrajectory(SeedGroup group) => group.Runs.Any(run =>
    {
        var coefficients = run.Steps.Where(row => row.Coefficients.HasValue).Select(row => row.Coefficients!.Value).ToList();
        return coefficients.Count > 1 && coefficients.Any(q => q != coefficients[0]);
    });

    /// <summary>Writes the chart as <paramref name="basePath"/>.png and .svg; returns their paths.</summary>
    public static string[] Write(SeedGroup group, string basePath)
    {
        var figure = new Multiplot();
        var header = figure.GetPlot(0);
        var palette = new ScottPlot.Palettes.Category10();
        var runs = group.Runs
            .Select((run, i) => (
                Name: group.Runs.Count > 1 ? $"seed {run.Run.Seed}" : group.Label,
                Color: palette.GetColor(i),
                Rows: run.Steps.Where(row => row.Coefficients.HasValue).ToArray()))
            .ToList();
        var start = group.Runs[0].Run.StartingCoefficients();

        foreach (var (coefficient, name) in Panels)
        {
            var panel = figure.AddPlot();
            foreach (var run in runs)
            {
                var line = panel.Add.ScatterLine(
                    run.Rows.Select(row => (double)row.Step).ToArray(), run.Rows.Select(row => row.Coefficients!.Value[coefficient]).ToArray());
                line.Color = run.Color;
                line.LineWidth = 2;
            }
            if (start is { } q)
            {
                // Solid: Skia's SVG canvas draws no dashes (and says so on standard output).
                panel.Add.HorizontalLine(q[coefficient], 1.5f, StartColor);
            }
            double[] values = runs.SelectMany(run => run.Rows.Select(row => row.Coefficients!.Value[coefficient])).ToArray();
            if (values.Length > 0)
            {
                double low = Math.Min(values.Min(), start?[coefficient] ?? double.PositiveInfinity);
                double high = Math.Max(values.Max(), start?[coefficient] ?? double.NegativeInfinity);
                foreach (var (value, optimizer) in FixedPointsWithin(coefficient, low, high))
                {
                    var mark = panel.Add.HorizontalLine(value, 1f, FixedPointColor);
                    mark.LabelText = optimizer;
                }
            }
            double[] finals = runs.Where(run => run.Rows.Length > 0).Select(run => run.Rows[^1].Coefficients!.Value[coefficient]).ToArray();
            panel.Title(PanelTitle(name, start?[coefficient], values, finals));
            panel.XLabel("step");
            panel.YLabel(name);
            panel.HideLegend();
            if (values.Length > 0 && values.Min() == values.Max())
            {
                panel.Axes.SetLimitsY(values[0] - FlatHalfRange, values[0] + FlatHalfRange);
            }
        }

        header.HideAxesAndGrid();
        header.Title($"MADA coefficients of {group.Label}" + (runs.Count > 1 ? $" over {runs.Count} seeds" : string.Empty));
        LegendItem[] legend =
        [
            .. runs.Select(run => new LegendItem { LabelText = run.Name, LineColor = run.Color, LineWidth = 2 }),
            .. start is null ? [] : new[] { new LegendItem { LabelText = "start", LineColor = StartColor, LineWidth = 1.5f } },
        ];
        header.ShowLegend(legend, Alignment.LowerCenter).Orientation = Orientation.Horizontal;
        figure.Layout = new TitledGrid(rows: 2, columns: 3, stripHeight: 80);
        return ChartFile.Save(figure, basePath, 1200, 800);
    }

    /// <summary>"ρ: 1 → 0.99912" (the mean final value where there are several runs), or "β3: 0, constant".</summary>
    private static string PanelTitle(string name, double? start, double[] values, double[] finals)
    {
        if (values.Length == 0)
        {
            return name;
        }
        double from = start ?? values[0];
        if (values.Min() == values.Max())
        {
            return $"{name}: {Format(from, from)}, constant";
        }
        double to = finals.Average();
        return $"{name}: {Format(from, to)} → {Format(to, from)}" + (finals.Length > 1 ? " (mean)" : string.Empty);
    }

    /// <summary>
    /// <paramref name="value"/> to six significant digits (enough to tell 1 from 0.99912), or to as
    /// many more as it takes to tell it from <paramref name="other"/>: "1 → 1" would hide a move.
    /// </summary>
    private static string Format(double value, double other)
    {
        for (int digits = 6; digits < 17; digits++)
        {
            string format = $"G{digits}";
            if (value == other || value.ToString(format, CultureInfo.InvariantCulture) != other.ToString(format, CultureInfo.InvariantCulture))
            {
                return value.ToString(format, CultureInfo.InvariantCulture);
            }
        }
        return value.ToString("R", CultureInfo.InvariantCulture);
    }
}
