using System.CommandLine;
using Spectre.Console;

namespace Mada.Cli.Commands;

/// <summary>
/// <c>--modes paper,reference</c>: the same comparison or sweep once per mode, each into
/// <c>&lt;dir&gt;/&lt;mode&gt;</c> with its own table, summary and charts. The one built-in way to set
/// the paper's equations against what the authors' code computes.
/// </summary>
internal static class ModesOption
{
    /// <summary>The option; absent means <c>--mode</c> alone.</summary>
    public static Option<string?> Create() =>
        Choices.Mode.CreateOptionalListOption(
            "--modes",
            "Run everything once per mode (paper,reference), each into <dir>/<mode> [default: --mode alone]");

    /// <summary>The modes to run: --modes, else --mode alone.</summary>
    /// <exception cref="CliException">Both are given: which mode to run would be a guess.</exception>
    public static IReadOnlyList<Mode> Resolve(ParseResult parse, Option<string?> modes, Option<string> mode)
    {
        if (parse.GetValue(modes) is not { } list)
        {
            return [Choices.Mode.Parse(parse.GetValue(mode)!)];
        }
        return parse.GetResult(mode) is { Implicit: false }
            ? throw new CliException("--mode and --modes both given: use --modes alone (--modes paper,reference runs both).")
            : Choices.Mode.ParseList(list).Distinct().ToList();
    }

    /// <summary>
    /// Runs each mode's part in turn (<paramref name="run"/>, given the part's index), under a
    /// "Mode paper:" line when there are several; stops at the first that does not succeed and
    /// returns its exit code.
    /// </summary>
    public static int RunEach(IReadOnlyList<Mode> modes, Terminal terminal, Func<int, int> run)
    {
        for (int i = 0; i < modes.Count; i++)
        {
            if (modes.Count > 1)
            {
                terminal.Console.WriteLine($"Mode {Choices.Mode.NameOf(modes[i])}:");
            }
            int exit = run(i);
            if (exit != ExitCodes.Success)
            {
                return exit;
            }
        }
        return ExitCodes.Success;
    }

    /// <summary>Where the runs of <paramref name="mode"/> go: the folder itself when one mode runs.</summary>
    public static string FolderOf(string directory, Mode mode, int modeCount) =>
        modeCount > 1 ? Path.Combine(directory, Choices.Mode.NameOf(mode)) : directory;
}
