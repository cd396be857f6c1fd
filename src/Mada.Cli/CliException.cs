namespace Mada.Cli;

/// <summary>A problem the user can fix (a missing file, a contradictory option): its message is printed as is, without a stack trace.</summary>
internal sealed class CliException(string message) : Exception(message);
