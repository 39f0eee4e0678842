namespace Atelier.Cli;

/// <summary>The command's exit codes, the same for every subcommand.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>Some items failed (a bad file in an import), or the operation itself failed.</summary>
    public const int SomeFailed = 1;
    /// <summary>The command line was wrong.</summary>
    public const int Usage = 2;
}

/// <summary>A wrong command line detected after parsing (an unknown role, a malformed duration).</summary>
public sealed class UsageException(string message) : Exception(message);
