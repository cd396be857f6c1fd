namespace Mada.Cli;

/// <summary>The program's exit statuses.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Bad arguments or a failed run; the message on standard error says which.</summary>
    public const int Failure = 1;

    /// <summary>Stopped by Ctrl+C after saving a checkpoint (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
