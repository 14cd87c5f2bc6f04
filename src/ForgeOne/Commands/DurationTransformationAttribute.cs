using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace ForgeOne.Commands;

/// <summary>
/// Lets a TimeSpan parameter take durations as people write them in runbooks: <c>24h</c>, <c>30m</c>, <c>7d</c>,
/// <c>2w</c>, <c>90s</c>, <c>500ms</c>, and <c>24:00:00</c> as 24 hours.
/// </summary>
/// <remarks>
/// PowerShell's own conversion reads <c>'24:00:00'</c> as 24 days (TimeSpan.Parse takes a first field above 23 as
/// days), which would silently make a 24-hour objective 24 times laxer; here h:mm:ss is always hours, minutes and
/// seconds. Anything else (a TimeSpan, <c>1.12:00:00</c>, a number of ticks) is left to PowerShell.
/// </remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed partial class DurationTransformationAttribute : ArgumentTransformationAttribute
{
    /// <summary>Turns a duration string into a TimeSpan; passes anything else through.</summary>
    /// <param name="engineIntrinsics">Not used.</param>
    /// <param name="inputData">The value given.</param>
    /// <returns>A TimeSpan, or the value unchanged.</returns>
    /// <exception cref="ArgumentTransformationMetadataException">A value with a unit is out of range.</exception>
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        if ((inputData is PSObject wrapped ? wrapped.BaseObject : inputData) is not string text)
        {
            return inputData;
        }

        try
        {
            if (WithUnit().Match(text.Trim()) is { Success: true } unit)
            {
                var value = double.Parse(unit.Groups[1].Value, CultureInfo.InvariantCulture);
                return unit.Groups[2].Value.ToLowerInvariant() switch
                {
                    "ms" => TimeSpan.FromMilliseconds(value),
                    "s" => TimeSpan.FromSeconds(value),
                    "m" => TimeSpan.FromMinutes(value),
                    "h" => TimeSpan.FromHours(value),
                    "d" => TimeSpan.FromDays(value),
                    _ => TimeSpan.FromDays(value * 7),
                };
            }

            if (Clock().Match(text.Trim()) is { Success: true } clock)
            {
                return TimeSpan.FromHours(int.Parse(clock.Groups[1].Value, CultureInfo.InvariantCulture))
                    + TimeSpan.FromMinutes(int.Parse(clock.Groups[2].Value, CultureInfo.InvariantCulture))
                    + TimeSpan.FromSeconds(double.Parse(clock.Groups[3].Value, CultureInfo.InvariantCulture));
            }
        }
        catch (OverflowException ex)
        {
            throw new ArgumentTransformationMetadataException($"The duration '{text}' is too long.", ex);
        }

        return inputData;
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WithUnit();

    [GeneratedRegex(@"^(\d+):([0-5]\d):([0-5]\d(?:\.\d+)?)$", RegexOptions.CultureInvariant)]
    private static partial Regex Clock();
}
