using Mada.Tests.Infrastructure;

namespace Mada.Cli.Tests.Infrastructure;

/// <summary>
/// Runs <c>mada</c> as a process of its own with standard output and error redirected, as a shell
/// pipe or a file would take them: what <see cref="MadaProgram"/>'s in-process console cannot show.
/// </summary>
internal static class MadaProcess
{
    public static CliResult Run(params string[] arguments)
    {
        var (exitCode, output, error) = DotnetProcess.Run(typeof(MadaCli).Assembly.Location, arguments);
        return new CliResult(exitCode, output, error);
    }
}
