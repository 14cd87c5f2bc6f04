using System.Globalization;
using ForgeOne.Core.Progress;

namespace ForgeOne.Cli;

/// <summary>
/// One self-overwriting progress line on stderr at a terminal; nothing at all when stderr is redirected, so logs and
/// scripts stay clean.
/// </summary>
internal sealed class TerminalProgress : IProgress<OperationProgress>, IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private readonly object _gate = new();
    private DateTime _last = DateTime.MinValue;
    private bool _drawn;

    private TerminalProgress()
    {
    }

    /// <summary>A progress line when stderr is a terminal, else null (report nothing).</summary>
    internal static TerminalProgress? ForConsole() => Console.IsErrorRedirected ? null : new TerminalProgress();

    public void Report(OperationProgress value)
    {
        lock (_gate)
        {
            if (DateTime.UtcNow - _last < Interval)
            {
                return;
            }

            _last = DateTime.UtcNow;
            var rate = Size((long)value.BytesPerSecond);
            var percent = value.PercentComplete >= 0 ? $"{value.PercentComplete,3}% " : "";
            var eta = value.Remaining is { } left ? $" ETA {left:hh\\:mm\\:ss}" : "";
            var files = value.ItemsTotal is { } total ? $"{value.ItemsDone}/{total}" : $"{value.ItemsDone}";
            var line = string.Create(CultureInfo.InvariantCulture, $"{percent}{value.Activity}: {files} files, {Size(value.BytesDone)}, {rate}/s{eta}");
            var width = Math.Max(20, SafeWidth() - 1);
            Console.Error.Write("\r" + (line.Length > width ? line[..width] : line.PadRight(width)));
            _drawn = true;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_drawn)
            {
                Console.Error.Write("\r" + new string(' ', Math.Max(20, SafeWidth() - 1)) + "\r");

                // Commands dispose early, before printing their summary, and again at the end of their scope.
                _drawn = false;
            }
        }
    }

    internal static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.00} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };

    private static int SafeWidth()
    {
        try
        {
            // A pseudo-terminal nobody sized (containers, CI, `script`) reports 0 columns.
            return Console.WindowWidth is var width and > 0 ? width : 80;
        }
        catch (IOException)
        {
            return 80;
        }
    }
}
