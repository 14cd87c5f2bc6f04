using System.Diagnostics;
using System.IO.Compression;
using System.Text.RegularExpressions;
using ForgeOne.Core.Tests.Backup;

namespace ForgeOne.Core.Tests.Evidence;

public sealed class EvidenceReportRenderingTests
{
    [Fact]
    public async Task Report_html_is_self_contained_and_headless_chromium_renders_it_with_its_charts()
    {
        await using var context = await EngineTestContext.CreateAsync();
        var package = await EvidenceExporterTests.ExportAsync(context);
        var report = Path.Join(context.TempPath, "report.html");
        using (var zip = ZipFile.OpenRead(package.Path))
        {
            zip.GetEntry("report.html")!.ExtractToFile(report);
        }

        var html = await File.ReadAllTextAsync(report);
        Assert.DoesNotMatch(new Regex(@"\b(src|href)\s*=", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, Regex.Count(html, "<svg "));
        Assert.Contains("A.8.13", html, StringComparison.Ordinal);

        var png = Path.Join(context.TempPath, "report.png");
        Render(report, png);
        var image = PngImage.Read(await File.ReadAllBytesAsync(png));

        Assert.Equal(1000, image.Width);
        var colours = new HashSet<(byte, byte, byte)>();
        var inked = 0;
        for (var y = 0; y < image.Height; y += 2)
        {
            for (var x = 0; x < image.Width; x += 2)
            {
                var pixel = image.Pixel(x, y);
                colours.Add(pixel);
                if (pixel.R < 200 || pixel.G < 200 || pixel.B < 200)
                {
                    inked++;
                }
            }
        }

        // Text, table cells in the status colours and the chart marks: far from a blank page.
        Assert.True(inked > 2000, $"only {inked} sampled pixels are not near-white");
        Assert.True(colours.Count > 20, $"only {colours.Count} distinct colours");
    }

    private static void Render(string html, string png)
    {
        var browser = new[] { "chromium", "chromium-browser", "google-chrome" }
            .Select(name => Environment.GetEnvironmentVariable("PATH")!.Split(Path.PathSeparator).Select(folder => Path.Join(folder, name)).FirstOrDefault(File.Exists))
            .FirstOrDefault(path => path is not null)
            ?? throw new InvalidOperationException("Headless Chromium is not installed; .ci/run installs it (apt-get install chromium).");
        var start = new ProcessStartInfo(browser)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=" + Path.Join(Path.GetDirectoryName(png)!, "chromium-profile"), "--window-size=1000,1400", "--screenshot=" + png, new Uri(html).AbsoluteUri })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEndAsync();
        process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "chromium did not finish");
        Assert.True(File.Exists(png), "chromium wrote no screenshot");
    }
}
