using System.Text.Json.Serialization;

namespace Mada.Cli.Reporting;

/// <summary>How a run of a sweep ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CellStatus>))]
internal enum CellStatus
{
    /// <summary>Not trained yet (an interrupted sweep).</summary>
    Pending,

    /// <summary>Trained to the last step with a finite loss.</summary>
    Finished,

    /// <summary>Trained to the last step, but its final train loss is NaN.</summary>
    NaN,

    /// <summary>Its loss or gradient overflowed to infinity or NaN: the library refused the step.</summary>
    Diverged,

    /// <summary>The library reported another error during training.</summary>
    Failed,
}

/// <summary>The result of one run of a sweep, as its cell of the heatmap and its row of sweep.csv show it.</summary>
/// <param name="Point">Which run.</param>
/// <param name="Folder">Its run folder.</param>
/// <param name="Status">How it ended.</param>
/// <param name="TrainLoss">Mean training loss over the last tenth of the steps (as <c>compare</c> reports it), when it finished.</param>
/// <param name="EvalLoss">Its final evaluation's loss, when there was one.</param>
/// <param name="EvalAccuracy">Its final evaluation's accuracy, when there was one.</param>
/// <param name="Seconds">Its wall time, when it finished.</param>
/// <param name="Message">Why it failed, when it did.</param>
internal sealed record SweepCell(
    SweepPoint Point, string Folder, CellStatus Status, double? TrainLoss, double? EvalLoss, double? EvalAccuracy, double? Seconds, string? Message)
{
    /// <summary>The loss a heatmap shows: null (a cell of its own colour) unless the run finished.</summary>
    public double? Loss => Status == CellStatus.Finished ? TrainLoss : null;

    /// <summary>What the cell says when it shows no loss: "NaN", "diverged", "failed", "not run".</summary>
    public string StatusLabel => Status switch
    {
        CellStatus.Pending => "not run",
        CellStatus.NaN => "NaN",
        _ => Status.ToString().ToLowerInvariant(),
    };

    /// <summary>This run's loss minus <paramref name="baseline"/>'s at the same point; null unless both finished.</summary>
    public double? Difference(SweepCell baseline) => Loss - baseline.Loss;
}
