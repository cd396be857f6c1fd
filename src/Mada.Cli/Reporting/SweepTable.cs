using System.Globalization;
using Spectre.Console;

namespace Mada.Cli.Reporting;

/// <summary>One optimizer's sweep as a table: its final train loss at each point, rows and columns as on its heatmap.</summary>
internal static class SweepTable
{
    public static Table Create(SweepGrid grid, IReadOnlyList<SweepCell> cells, string optimizer)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn($"{Markup.Escape(grid.Y.Flag)} \\ {Markup.Escape(grid.X.Flag)}");
        foreach (double x in grid.X.Values)
        {
            table.AddColumn(new TableColumn(SweepAxis.Format(x)).RightAligned());
        }
        var byPoint = cells.Where(cell => cell.Point.Optimizer == optimizer).ToDictionary(cell => (cell.Point.X, cell.Point.Y));
        for (int y = grid.Y.Values.Count - 1; y >= 0; y--)
        {
            var row = new List<string> { SweepAxis.Format(grid.Y.Values[y]) };
            for (int x = 0; x < grid.X.Values.Count; x++)
            {
                var cell = byPoint[(x, y)];
                row.Add(cell.Loss is { } loss ? loss.ToString("F4", CultureInfo.InvariantCulture) : cell.StatusLabel);
            }
            table.AddRow(row.Select(Markup.Escape).ToArray());
        }
        table.Title($"{Markup.Escape(optimizer)}: final train loss");
        return table;
    }
}
