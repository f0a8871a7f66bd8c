package dev.mailroom.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** Messages per second over time as a PNG, drawn with plain AWT (headless), with labelled reference lines. */
final class ThroughputPlot {
    record Line(String label, double value, Color color) {}

    private static final int W = 1000;
    private static final int H = 520;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 60;
    private static final int BOTTOM = 60;

    private ThroughputPlot() {}

    /**
     * @param rates  messages/s in consecutive buckets of {@code bucketSeconds}
     * @param lines  reference lines; one far above the data is named in the legend as off scale instead
     */
    static void write(Path png, String title, String subtitle, double[] rates, double bucketSeconds, List<Line> lines)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        double dataMax = max(rates);
        double scaleTop = dataMax;
        for (Line l : lines) if (l.value() <= Math.max(dataMax, 1) * 3) scaleTop = Math.max(scaleTop, l.value());
        double yMax = niceCeil(Math.max(scaleTop, 1) * 1.08);
        double seconds = Math.max(1, rates.length * bucketSeconds);
        int pw = W - LEFT - RIGHT;
        int ph = H - TOP - BOTTOM;

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, LEFT, 26);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(subtitle, LEFT, 45);

        double yStep = yMax / 5;
        for (int i = 0; i <= 5; i++) {
            int y = TOP + ph - (int) (ph * i / 5.0);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(LEFT, y, LEFT + pw, y);
            g.setColor(Color.DARK_GRAY);
            String label = String.format("%,.0f", yStep * i);
            g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), y + 4);
        }
        double xStep = niceCeil(seconds / 10.0);
        for (double s = 0; s <= seconds; s += xStep) {
            int x = LEFT + (int) (pw * s / seconds);
            g.drawLine(x, TOP + ph, x, TOP + ph + 4);
            String label = String.format("%.0f", s);
            g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, TOP + ph + 18);
        }
        g.drawString("seconds since the first message reached the sink", LEFT + pw / 2 - 140, H - 18);
        Graphics2D r = (Graphics2D) g.create();
        r.rotate(-Math.PI / 2);
        r.drawString(String.format("messages / s (%s s buckets)", bucketSeconds % 1 == 0 ? String.valueOf((long) bucketSeconds)
                : String.valueOf(bucketSeconds)), -(TOP + ph / 2 + 70), 18);
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, pw, ph);

        Path2D.Double path = new Path2D.Double();
        for (int i = 0; i < rates.length; i++) {
            double x = LEFT + pw * (i + 0.5) * bucketSeconds / seconds;
            double y = TOP + ph - ph * rates[i] / yMax;
            if (i == 0) path.moveTo(x, y); else path.lineTo(x, y);
        }
        g.setColor(new Color(31, 119, 180));
        g.setStroke(new BasicStroke(2f));
        g.draw(path);

        int legendY = TOP + 18;
        for (Line l : lines) {
            g.setColor(l.color());
            String label = l.label();
            if (l.value() <= yMax) {
                int y = TOP + ph - (int) (ph * l.value() / yMax);
                g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f));
                g.drawLine(LEFT, y, LEFT + pw, y);
            } else {
                label += " (above the scale)";
            }
            g.drawString(label, LEFT + pw - 10 - g.getFontMetrics().stringWidth(label), legendY);
            legendY += 16;
        }
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(img, "png", png.toFile());
    }

    private static double max(double[] v) {
        double m = 0;
        for (double d : v) m = Math.max(m, d);
        return m;
    }

    /** 1, 2, 5 × 10^k at or above v. */
    private static double niceCeil(double v) {
        if (v <= 0) return 1;
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) if (m * p >= v) return m * p;
        return 10 * p;
    }
}
