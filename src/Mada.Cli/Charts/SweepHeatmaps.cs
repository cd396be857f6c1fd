using System.Globalization;
using Mada.Cli.Reporting;
using ScottPlot;

namespace Mada.Cli.Charts;

/// <summary>
/// A sweep's charts, the analogue of the MADA paper's Figure 3: per optimizer a heatmap of the
/// final train loss over the grid, on one colour scale shared by all optimizers so that colours
/// compare across charts, and per optimizer but the baseline a heatmap of its loss minus the
/// baseline's. Every cell says its value; a run that gave no loss says why, on a colour of its own.
/// </summary>
internal static class SweepHeatmaps
{
    /// <summary>The colour of a cell without a value (NaN, diverged, failed, not run): a grey no colour map here uses.</summary>
    private static readonly Color NoValueColor = Color.FromHex("#B0B0B0");

    private const int Width = 900;

    private const int Height = 700;

    /// <summary>Writes loss-&lt;optimizer&gt; and loss-&lt;optimizer&gt;-vs-&lt;baseline&gt; (PNG and SVG) into <paramref name="directory"/>; returns their paths.</summary>
    public static List<string> Write(SweepGrid grid, IReadOnlyList<SweepCell> cells, string directory)
    {
        var written = new List<string>();
        var shared = RangeOf(cells.Select(cell => cell.Loss), symmetric: false);
        foreach (string optimizer in grid.Optimizers)
        {
            var own = cells.Where(cell => cell.Point.Optimizer == optimizer).ToList();
            var plot = Draw(
                grid, own, cell => cell.Loss, cell => cell.StatusLabel, new ScottPlot.Colormaps.Viridis(), shared,
                $"{optimizer}: final train loss (one colour scale for all optimizers)");
            written.AddRange(ChartFile.Save(new Multiplot(plot), Path.Combine(directory, $"loss-{optimizer}"), Width, Height));
        }

        var baselineOf = SweepFiles.BaselineOf(cells, grid.Baseline);
        var others = cells.Where(cell => cell.Point.Optimizer != grid.Baseline).ToList();
        var differences = RangeOf(others.Select(cell => cell.Difference(baselineOf(cell))), symmetric: true);
        foreach (string optimizer in grid.Optimizers.Where(optimizer => optimizer != grid.Baseline))
        {
            var own = others.Where(cell => cell.Point.Optimizer == optimizer).ToList();
            var plot = Draw(
                grid, own, cell => cell.Difference(baselineOf(cell)),
                cell => cell.Loss is null ? cell.StatusLabel : $"{grid.Baseline} {baselineOf(cell).StatusLabel}",
                new ScottPlot.Colormaps.Balance(), differences,
                $"{optimizer} - {grid.Baseline}: final train loss (below 0: {optimizer} lower)", signed: true);
            written.AddRange(ChartFile.Save(
                new Multiplot(plot), Path.Combine(directory, $"loss-{optimizer}-vs-{grid.Baseline}"), Width, Height));
        }
        return written;
    }

    /// <summary>
    /// One heatmap: columns the x axis's values, rows the y axis's (the first at the bottom), each
    /// cell coloured by <paramref name="value"/> on <paramref name="range"/> and labelled with it,
    /// or grey and labelled by <paramref name="noValue"/> where it has none.
    /// </summary>
    private static Plot Draw(
        SweepGrid grid,
        IReadOnlyList<SweepCell> cells,
        Func<SweepCell, double?> value,
        Func<SweepCell, string> noValue,
        IColormap colormap,
        ScottPlot.Range range,
        string title,
        bool signed = false)
    {
        int columns = grid.X.Values.Count;
        int rows = grid.Y.Values.Count;
        var plot = new Plot();
        // Row 0 of the array is the top of the heatmap: the last y value. A cell without a value is
        // painted over (ScottPlot's NaN cells fail to render when every cell is NaN).
        double[,] intensities = new double[rows, columns];
        foreach (var cell in cells)
        {
            intensities[rows - 1 - cell.Point.Y, cell.Point.X] = value(cell) ?? range.Min;
        }
        var heatmap = plot.Add.Heatmap(intensities);
        heatmap.Colormap = colormap;
        heatmap.ManualRange = range;
        heatmap.Rectangle = new CoordinateRect(-0.5, columns - 0.5, -0.5, rows - 0.5);

        foreach (var cell in cells)
        {
            double? shown = value(cell);
            if (shown is null)
            {
                var blank = plot.Add.Rectangle(cell.Point.X - 0.5, cell.Point.X + 0.5, cell.Point.Y - 0.5, cell.Point.Y + 0.5);
                blank.FillColor = NoValueColor;
                blank.LineWidth = 0;
            }
            string label = shown is { } number
                ? (signed && number > 0 ? "+" : string.Empty) + FormatValue(number)
                : noValue(cell);
            var text = plot.Add.Text(label, cell.Point.X, cell.Point.Y);
            text.LabelAlignment = Alignment.MiddleCenter;
            text.LabelFontSize = 16;
            text.LabelBold = true;
            text.LabelFontColor = shown is { } v ? ReadableOn(colormap.GetColor(v, range)) : Colors.Black;
        }

        var colorBar = plot.Add.ColorBar(heatmap);
        colorBar.Label = signed ? "difference of final train loss" : "final train loss";
        plot.Axes.Bottom.TickGenerator = Ticks(grid.X);
        plot.Axes.Left.TickGenerator = Ticks(grid.Y);
        plot.Axes.SetLimits(-0.5, columns - 0.5, -0.5, rows - 0.5);
        plot.XLabel($"initial {grid.X.Symbol} ({grid.X.Flag})");
        plot.YLabel($"initial {grid.Y.Symbol} ({grid.Y.Flag})");
        plot.Title(title);
        plot.Grid.IsVisible = false;
        return plot;
    }

    /// <summary>Three decimals, or for a value too small to show in them (a tiny difference) two significant digits: never "-0.000".</summary>
    private static string FormatValue(double value) =>
        value.ToString(value == 0 || Math.Abs(value) >= 1e-3 ? "F3" : "0.0E+0", CultureInfo.InvariantCulture);

    /// <summary>One tick per grid column or row, labelled with its value.</summary>
    private static ScottPlot.TickGenerators.NumericManual Ticks(SweepAxis axis) => new(
        Enumerable.Range(0, axis.Values.Count).Select(i => (double)i).ToArray(), axis.Values.Select(SweepAxis.Format).ToArray());

    /// <summary>
    /// The range of the values there are (none: 0..1); <paramref name="symmetric"/> centres it on 0,
    /// so that a diverging colour map shows "no difference" in its middle colour.
    /// </summary>
    private static ScottPlot.Range RangeOf(IEnumerable<double?> values, bool symmetric)
    {
        double[] present = values.Where(value => value is { } v && double.IsFinite(v)).Select(value => value!.Value).ToArray();
        if (present.Length == 0)
        {
            return new ScottPlot.Range(symmetric ? -1 : 0, 1);
        }
        if (symmetric)
        {
            double largest = Math.Max(present.Max(Math.Abs), 1e-12);
            return new ScottPlot.Range(-largest, largest);
        }
        double low = present.Min();
        double high = present.Max();
        // One value alone still needs a range for the colour map to span.
        return low < high ? new ScottPlot.Range(low, high) : new ScottPlot.Range(low - 0.5, high + 0.5);
    }

    /// <summary>Black on light cells, white on dark ones.</summary>
    private static Color ReadableOn(Color background) =>
        0.299 * background.Red + 0.587 * background.Green + 0.114 * background.Blue > 140 ? Colors.Black : Colors.White;
}
