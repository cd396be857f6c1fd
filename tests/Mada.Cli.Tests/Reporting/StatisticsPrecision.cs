namespace Mada.Cli.Tests.Reporting;

/// <summary>
/// The decimal places the statistics tests compare at: summing a few doubles loses far less than
/// 1e-12, while a wrong formula (n for n - 1, a reversed difference) is off by far more.
/// </summary>
internal static class StatisticsPrecision
{
    public const int Digits = 12;
}
