package dev.curlab.report;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/** XChart helpers: line charts and their PNG bytes as a data URI. */
public final class Charts {
    private Charts() {
    }

    public static XYChart lines(String title, String xTitle, String yTitle) {
        XYChart c = new XYChartBuilder().width(720).height(400).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.getStyler().setMarkerSize(0);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotGridLinesVisible(true);
        return c;
    }

    /** Adds a line, dropping NaN points (XChart cannot draw them). */
    public static XYSeries add(XYChart chart, String name, double[] x, double[] y) {
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                n++;
            }
        }
        double[] xs = new double[Math.max(1, n)];
        double[] ys = new double[Math.max(1, n)];
        int j = 0;
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                xs[j] = x[i];
                ys[j] = y[i];
                j++;
            }
        }
        return chart.addSeries(name, xs, ys);
    }

    public static byte[] png(XYChart chart) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
