using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Mada.Benchmarks;

/// <summary>The columns <see cref="StepBenchmarks"/> adds: the real parameter count and the bytes rate.</summary>
public sealed class StepColumnsConfig : ManualConfig
{
    public StepColumnsConfig() => AddColumn(new ParameterCountColumn(), new StepBandwidthColumn());
}

/// <summary>How many parameters the list for the requested Elements really holds.</summary>
internal sealed class ParameterCountColumn : IColumn
{
    public string Id => nameof(ParameterCountColumn);
    public string ColumnName => "Params";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Params;
    public int PriorityInCategory => 10;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Parameters in the GPT-2-like list (bench/native/parameter_list.h shapes)";

    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, SummaryStyle.Default);
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
        Requested(benchmarkCase) is long n ? ParameterList.ElementCount(n).ToString("N0", style.CultureInfo) : "-";

    internal static long? Requested(BenchmarkCase benchmarkCase) =>
        benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == nameof(StepBenchmarks.Elements))?.Value is int n ? n : null;
}

/// <summary>
/// The step's memory traffic rate: 112 bytes per parameter per step (spec, "Memory and traffic")
/// over the mean time, to hold against BM_StreamCopy's copy bandwidth in docs/benchmarks.md.
/// </summary>
internal sealed class StepBandwidthColumn : IColumn
{
    public const double BytesPerParameter = 112.0;

    public string Id => nameof(StepBandwidthColumn);
    public string ColumnName => "GB/s @112B";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "112 bytes per parameter (MADA's traffic per step) over the mean step time, in GB/s";

    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var stats = summary[benchmarkCase]?.ResultStatistics;
        if (stats is null || ParameterCountColumn.Requested(benchmarkCase) is not long n)
        {
            return "-";
        }
        double seconds = stats.Mean * 1e-9;
        return (BytesPerParameter * ParameterList.ElementCount(n) / seconds / 1e9).ToString("F2", style.CultureInfo);
    }
}
