using System.Text.Json;
using Mada.Cli.Metrics;

namespace Mada.Cli.Reporting;

/// <summary>
/// A sweep's result for programs: sweep.json (the grid, then one cell per run with its difference
/// to the baseline's) and sweep.csv (one row per run). Both are rewritten after every run, so an
/// interrupted sweep's show what is done; sweep.json's grid is what a resumed sweep is held to.
/// Numbers in invariant culture and round-trip precision; what a run did not give is null in JSON
/// and empty in CSV.
/// </summary>
internal static class SweepFiles
{
    public const string JsonName = "sweep.json";

    public const string CsvName = "sweep.csv";

    /// <summary>Writes both files into <paramref name="directory"/> and returns their paths.</summary>
    public static string[] Write(SweepGrid grid, IReadOnlyList<SweepCell> cells, string directory)
    {
        string json = Path.Combine(directory, JsonName);
        JsonFiles.Write(json, Document(grid, cells));
        string csv = Path.Combine(directory, CsvName);
        CsvFiles.Write(
            csv, $"optimizer,{grid.X.Name},{grid.Y.Name},status,train_loss,baseline,train_loss_vs_baseline,eval_loss,eval_accuracy,seconds,folder",
            Rows(grid, cells));
        return [json, csv];
    }

    /// <summary>The grid of the sweep in <paramref name="directory"/> as its arguments (<see cref="SweepGrid.Arguments"/>); null when it holds no sweep.json.</summary>
    /// <exception cref="CliException">sweep.json is not one this program wrote.</exception>
    public static string? ReadArguments(string directory)
    {
        string path = Path.Combine(directory, JsonName);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.GetProperty("grid").GetProperty("arguments").GetString()
                ?? throw new CliException($"{path} names no grid.");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new CliException($"{path} is not a sweep file of this program: {e.Message}");
        }
    }

    /// <summary>The cell of <paramref name="baseline"/> at the point of each cell.</summary>
    public static Func<SweepCell, SweepCell> BaselineOf(IReadOnlyList<SweepCell> cells, string baseline)
    {
        var byPoint = cells.Where(cell => cell.Point.Optimizer == baseline).ToDictionary(cell => (cell.Point.X, cell.Point.Y));
        return cell => byPoint[(cell.Point.X, cell.Point.Y)];
    }

    /// <summary>The JSON document; property names become snake case (<see cref="JsonFiles.Options"/>).</summary>
    private static object Document(SweepGrid grid, IReadOnlyList<SweepCell> cells)
    {
        var baselineOf = BaselineOf(cells, grid.Baseline);
        return new
        {
            Grid = new
            {
                grid.Arguments,
                X = new { Coefficient = grid.X.Name, grid.X.Values },
                Y = new { Coefficient = grid.Y.Name, grid.Y.Values },
                grid.Optimizers,
                grid.Baseline,
            },
            RunsDone = cells.Count(cell => cell.Status != CellStatus.Pending),
            RunsTotal = cells.Count,
            Cells = cells.Select(cell => new
            {
                cell.Point.Optimizer,
                Coefficients = new Dictionary<string, double>
                {
                    [grid.X.Name] = grid.X.Values[cell.Point.X],
                    [grid.Y.Name] = grid.Y.Values[cell.Point.Y],
                },
                Status = cell.StatusLabel,
                cell.TrainLoss,
                TrainLossVsBaseline = cell.Point.Optimizer == grid.Baseline ? null : cell.Difference(baselineOf(cell)),
                cell.EvalLoss,
                cell.EvalAccuracy,
                cell.Seconds,
                cell.Folder,
                cell.Message,
            }),
        };
    }

    private static IEnumerable<object?[]> Rows(SweepGrid grid, IReadOnlyList<SweepCell> cells)
    {
        var baselineOf = BaselineOf(cells, grid.Baseline);
        return cells.Select(cell => new object?[]
        {
            cell.Point.Optimizer, grid.X.Values[cell.Point.X], grid.Y.Values[cell.Point.Y], cell.StatusLabel, cell.TrainLoss,
            grid.Baseline, cell.Point.Optimizer == grid.Baseline ? null : cell.Difference(baselineOf(cell)),
            cell.EvalLoss, cell.EvalAccuracy, cell.Seconds, cell.Folder,
        });
    }
}
