using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ForgeOne.Cli;

/// <summary>
/// The one duration syntax of <c>forge</c> (retention ages, <c>--keep-within</c>, <c>--rpo</c>, <c>--rto</c>):
/// a whole number and a unit, <c>s</c>, <c>min</c>, <c>h</c>, <c>d</c>, <c>w</c> or <c>y</c> (365 days), or a
/// TimeSpan such as <c>1.12:00:00</c>. <c>m</c> alone is refused: <c>6m</c> reads as minutes or months, and a
/// retention age misread as minutes deletes data.
/// </summary>
internal static partial class Durations
{
    internal const string Help = "a duration such as 90s, 45min, 12h, 30d, 2w or 1y (365 days), or a TimeSpan such as 1.12:00:00";

    private const long MaxYears = 10_000;

    /// <summary>Parses a positive duration; false for anything else, including zero and <c>6m</c>.</summary>
    internal static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        var value = text?.Trim() ?? "";
        var match = Pattern().Match(value);
        if (match.Success && long.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0)
        {
            var seconds = match.Groups["unit"].Value.ToLowerInvariant() switch
            {
                "s" => count,
                "min" => count * 60,
                "h" => count * 3600,
                "d" => count * 86_400,
                "w" => count * 7 * 86_400,
                _ => count * 365 * 86_400,
            };
            if (seconds > MaxYears * 365 * 86_400)
            {
                return false;
            }

            duration = TimeSpan.FromSeconds(seconds);
            return true;
        }

        if (TimeSpan.TryParseExact(value, "c", CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero)
        {
            duration = span;
            return true;
        }

        return false;
    }

    /// <summary>A string option checked at parse time, so a bad duration is a usage error (exit 2) naming the option.</summary>
    internal static Option<string?> Option(string name, string description)
    {
        var option = new Option<string?>(name) { Description = $"{description}: {Help}." };
        option.Validators.Add(result =>
        {
            var text = result.GetValueOrDefault<string?>() ?? "";
            if (!TryParse(text, out _))
            {
                result.AddError($"{name} '{text}' is not {Help}.");
            }
        });
        return option;
    }

    /// <summary>The value of an option made by <see cref="Option"/>; null when it was not given.</summary>
    internal static TimeSpan? Get(ParseResult parse, Option<string?> option) =>
        parse.GetValue(option) is { } text && TryParse(text, out var duration) ? duration : null;

    /// <summary>The shortest exact text for a duration: <c>30d</c>, <c>12h</c>, <c>45min</c>, <c>90s</c>, else a TimeSpan.</summary>
    internal static string Format(TimeSpan duration) =>
        duration.Ticks % TimeSpan.TicksPerDay == 0 ? string.Create(CultureInfo.InvariantCulture, $"{duration.Days}d")
        : duration.Ticks % TimeSpan.TicksPerHour == 0 ? string.Create(CultureInfo.InvariantCulture, $"{(long)duration.TotalHours}h")
        : duration.Ticks % TimeSpan.TicksPerMinute == 0 ? string.Create(CultureInfo.InvariantCulture, $"{(long)duration.TotalMinutes}min")
        : duration.Ticks % TimeSpan.TicksPerSecond == 0 ? string.Create(CultureInfo.InvariantCulture, $"{(long)duration.TotalSeconds}s")
        : duration.ToString("c", CultureInfo.InvariantCulture);

    [GeneratedRegex("^(?<n>[0-9]{1,9})(?<unit>s|min|h|d|w|y)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();
}
