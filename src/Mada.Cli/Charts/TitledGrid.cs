using ScottPlot;

namespace Mada.Cli.Charts;

/// <summary>
/// A multiplot layout: the first plot is a strip across the top (the figure's title and legend),
/// the others fill a grid of <paramref name="rows"/> x <paramref name="columns"/> below it, row by row.
/// </summary>
internal sealed class TitledGrid(int rows, int columns, float stripHeight) : IMultiplotLayout
{
    public PixelRect[] GetSubplotRectangles(SubplotCollection subplots, PixelRect figure)
    {
        var rectangles = new PixelRect[1 + rows * columns];
        rectangles[0] = new PixelRect(figure.Left, figure.Right, figure.Top + stripHeight, figure.Top);
        float width = figure.Width / columns;
        float height = (figure.Height - stripHeight) / rows;
        for (int i = 1; i < rectangles.Length; i++)
        {
            float left = figure.Left + (i - 1) % columns * width;
            float top = figure.Top + stripHeight + (i - 1) / columns * height;
            rectangles[i] = new PixelRect(left, left + width, top + height, top);
        }
        return rectangles;
    }
}
