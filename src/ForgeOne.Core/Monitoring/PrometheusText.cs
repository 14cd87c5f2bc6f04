using System.Globalization;
using System.Text;

namespace ForgeOne.Core.Monitoring;

/// <summary>
/// Writes the Prometheus text exposition format (version 0.0.4) as node_exporter's textfile collector reads it:
/// <c># HELP</c> and <c># TYPE</c> once per metric family, then one line per series.
/// </summary>
public sealed class PrometheusText
{
    private readonly StringBuilder _text = new();
    private readonly HashSet<string> _families = new(StringComparer.Ordinal);

    /// <summary>Adds one sample, announcing its family the first time.</summary>
    /// <param name="name">The metric name, for example <c>forgeone_backup_last_size_bytes</c>.</param>
    /// <param name="type"><c>gauge</c> or <c>counter</c>.</param>
    /// <param name="help">One line saying what it measures.</param>
    /// <param name="value">The value.</param>
    /// <param name="labels">Label pairs; values are escaped.</param>
    public void Add(string name, string type, string help, double value, params (string Name, string Value)[] labels)
    {
        if (_families.Add(name))
        {
            _text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
            _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        }

        _text.Append(name);
        if (labels.Length > 0)
        {
            _text.Append('{');
            for (var index = 0; index < labels.Length; index++)
            {
                if (index > 0)
                {
                    _text.Append(',');
                }

                _text.Append(labels[index].Name).Append("=\"").Append(Escape(labels[index].Value)).Append('"');
            }

            _text.Append('}');
        }

        _text.Append(' ').Append(Format(value)).Append('\n');
    }

    /// <summary>The text written so far.</summary>
    /// <returns>The exposition.</returns>
    public override string ToString() => _text.ToString();

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Format(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : value.ToString("R", CultureInfo.InvariantCulture);
}
