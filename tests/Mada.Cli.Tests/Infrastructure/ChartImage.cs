using System.Xml.Linq;
using SkiaSharp;

namespace Mada.Cli.Tests.Infrastructure;

/// <summary>Checks that a chart file holds a drawing, not merely a file of the right kind.</summary>
internal static class ChartImage
{
    /// <summary>
    /// Fails unless <paramref name="path"/> decodes as an image at least <paramref name="minimumWidth"/>
    /// pixels wide, of many colours (an empty or blank canvas has one or two; lines and text bring hundreds).
    /// </summary>
    public static void AssertIsDrawnPng(string path, int minimumWidth = 800)
    {
        Png.AssertIsPng(path);
        using var bitmap = SKBitmap.Decode(path);
        Assert.NotNull(bitmap);
        Assert.InRange(bitmap.Width, minimumWidth, 4000);
        int colours = bitmap.Pixels.Distinct().Count();
        Assert.True(colours > 100, $"{path} has {colours} colours: nothing much is drawn.");
    }

    /// <summary>Fails unless <paramref name="path"/> is an SVG document of at least <paramref name="minimumElements"/> elements with some text.</summary>
    public static void AssertIsDrawnSvg(string path, int minimumElements = 100)
    {
        Assert.True(File.Exists(path), $"{path} was not written.");
        var document = XDocument.Load(path);
        Assert.Equal("svg", document.Root!.Name.LocalName);
        Assert.True(document.Descendants().Count() >= minimumElements, $"{path} holds {document.Descendants().Count()} elements.");
        Assert.Contains(document.Descendants(), element => element.Name.LocalName == "text");
    }
}
