using System.Runtime.InteropServices;

namespace Atelier.Bench.Audio;

/// <summary>
/// CPU time (user + system) from getrusage(2): of this process, and of its finished child processes (ffmpeg, fpcalc).
/// .NET reaps its children, so RUSAGE_CHILDREN covers every tool that has exited.
/// </summary>
public static class CpuTime
{
    private const int RusageSelf = 0;
    private const int RusageChildren = -1;

    /// <summary>CPU seconds used by this process so far, all threads.</summary>
    public static double Self => Read(RusageSelf);

    /// <summary>CPU seconds used by the child processes that have exited and been waited for.</summary>
    public static double Children => Read(RusageChildren);

    private static double Read(int who)
    {
        if (GetRusage(who, out var usage) != 0)
        {
            throw new InvalidOperationException($"getrusage failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return usage.UserSeconds + (usage.UserMicroseconds / 1e6) + usage.SystemSeconds + (usage.SystemMicroseconds / 1e6);
    }

    [DllImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static extern int GetRusage(int who, out Rusage usage);

    /// <summary>struct rusage on 64-bit Linux: two timevals, then fourteen longs this code does not read (hence Size).</summary>
    [StructLayout(LayoutKind.Sequential, Size = 18 * sizeof(long))]
    private struct Rusage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
    }
}
