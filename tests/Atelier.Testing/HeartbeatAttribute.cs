using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Xunit.v3;

namespace Atelier.Testing;

/// <summary>
/// Writes a line to a running test's output every <see cref="IntervalSeconds"/> seconds, so the runner keeps
/// hearing from a test process whose last test is a long one.
/// </summary>
/// <remarks>
/// xunit.runner.visualstudio 3.x reads the test process's messages on one thread and waits for the process
/// on another. When the process exits it gives the final messages (the last result, the assembly's end) only
/// until 60 s after the last message it read; a test that ran silently for longer than that and finished
/// last leaves no grace at all, and the run is reported as "Test process crashed with exit code 0" whenever
/// the exit is noticed before those messages are parsed. That happened to the crash test (about 80 s) in CI.
/// Test output is sent to the runner as it is written, so a line every 15 s keeps the window open.
/// Every test project applies this to its assembly (tests/Directory.Build.props).
/// </remarks>
[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class HeartbeatAttribute : BeforeAfterTestAttribute
{
    /// <summary>Seconds between lines: well inside the runner's 60 s.</summary>
    public const int IntervalSeconds = 15;

    private static readonly ConcurrentDictionary<string, Timer> Running = new(StringComparer.Ordinal);

    public override void Before(MethodInfo methodUnderTest, IXunitTest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        if (TestContext.Current.TestOutputHelper is not { } output)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        var period = TimeSpan.FromSeconds(IntervalSeconds);
        var timer = new Timer(_ => Beat(output, clock.Elapsed), null, period, period);
        if (!Running.TryAdd(test.UniqueID, timer))
        {
            timer.Dispose();
        }
    }

    private static void Beat(ITestOutputHelper output, TimeSpan elapsed)
    {
        try
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[heartbeat] still running after {elapsed.TotalSeconds:0} s"));
        }
        catch (InvalidOperationException)
        {
            // The test is over (After stops the timer first, so this is only a guard): a throw on a timer
            // thread would end the test process.
        }
    }

    public override void After(MethodInfo methodUnderTest, IXunitTest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        if (Running.TryRemove(test.UniqueID, out var timer))
        {
            // Wait for a tick in flight: the output helper refuses writes once the test is over.
            using var stopped = new ManualResetEvent(false);
            if (timer.Dispose(stopped))
            {
                stopped.WaitOne();
            }
        }
    }
}
