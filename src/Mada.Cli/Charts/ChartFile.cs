using ScottPlot;
using SkiaSharp;

namespace Mada.Cli.Charts;

/// <summary>Writes a figure as PNG (to look at) and SVG (to scale, or to put in a document).</summary>
internal static class ChartFile
{
    /// <summary>Writes <paramref name="basePath"/>.png and <paramref name="basePath"/>.svg; returns both paths.</summary>
    public static string[] Save(Multiplot figure, string basePath, int width, int height)
    {
        string png = $"{basePath}.png";
        figure.SavePng(png, width, height);
        // ScottPlot saves a Plot as SVG but not a Multiplot: Skia's SVG canvas takes what renders the PNG.
        string svg = $"{basePath}.svg";
        using (var stream = File.Create(svg))
        using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, width, height), stream))
        {
            figure.Render(canvas, new PixelRect(0, width, height, 0));
        }
        return [png, svg];
    }
}
