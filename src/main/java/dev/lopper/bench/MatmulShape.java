package dev.lopper.bench;

import dev.lopper.LopperException;
import java.util.ArrayList;
import java.util.List;

/** A raw product to time: x (m, k) times w (n, k) transposed, as a linear layer multiplies. */
public record MatmulShape(int m, int k, int n) {
  public MatmulShape {
    if (m < 1 || k < 1 || n < 1) {
      throw new LopperException(
          "a matmul shape needs positive numbers, found " + m + "x" + k + "x" + n);
    }
  }

  /** Parses {@code MxKxN[,MxKxN...]}, e.g. {@code 2048x256x1024,512x768x3072}. */
  public static List<MatmulShape> parseList(String text, String option) {
    List<MatmulShape> shapes = new ArrayList<>();
    for (String one : text.split(",")) {
      String[] p = one.trim().split("x");
      try {
        if (p.length != 3) {
          throw new NumberFormatException();
        }
        shapes.add(
            new MatmulShape(
                Integer.parseInt(p[0].trim()),
                Integer.parseInt(p[1].trim()),
                Integer.parseInt(p[2].trim())));
      } catch (NumberFormatException e) {
        throw new LopperException(
            option + " expects MxKxN shapes separated by commas, found \"" + one.trim() + "\"");
      }
    }
    return List.copyOf(shapes);
  }

  /** Multiply-adds counted twice: the product's floating-point operations. */
  public double flops() {
    return 2.0 * m * k * n;
  }

  @Override
  public String toString() {
    return m + "x" + k + "x" + n;
  }
}
