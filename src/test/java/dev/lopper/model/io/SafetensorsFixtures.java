package dev.lopper.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lopper.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** The fixtures of scripts/make_safetensors_fixtures.py and helpers to compare against them. */
final class SafetensorsFixtures {
  private SafetensorsFixtures() {}

  static Path dir() {
    try {
      return Path.of(SafetensorsFixtures.class.getResource("/safetensors/fixtures.json").toURI())
          .getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json() {
    return Json.read(dir().resolve("fixtures.json"));
  }

  static long[] shape(JsonNode desc) {
    JsonNode s = desc.get("shape");
    long[] out = new long[s.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = s.get(i).longValue();
    }
    return out;
  }

  /** An array holding the fixture's values in the fixture's own dtype (not BF16 or I16). */
  static NDArray array(NDManager m, JsonNode desc) {
    Dtype dtype = Dtype.fromHeader(desc.get("dtype").textValue());
    JsonNode v = desc.get("values");
    Shape shape = new Shape(shape(desc));
    if (dtype == Dtype.BOOL) {
      boolean[] b = new boolean[v.size()];
      for (int i = 0; i < b.length; i++) {
        b[i] = v.get(i).booleanValue();
      }
      return m.create(b, shape);
    }
    if (dtype.isFloat()) {
      double[] d = new double[v.size()];
      for (int i = 0; i < d.length; i++) {
        d[i] = v.get(i).doubleValue();
      }
      // every value is exactly representable in its dtype, so the conversion is exact
      return m.create(d, shape).toType(dtype.dataType(), false);
    }
    long[] l = new long[v.size()];
    for (int i = 0; i < l.length; i++) {
      l[i] = v.get(i).longValue();
    }
    return m.create(l, shape).toType(dtype.dataType(), false);
  }

  /** Checks what {@code load} returned: exact values, in the type {@link Dtype#loadedType} says. */
  static void assertLoaded(String name, JsonNode desc, NDArray loaded) {
    Dtype dtype = Dtype.fromHeader(desc.get("dtype").textValue());
    JsonNode v = desc.get("values");
    assertArrayEquals(shape(desc), loaded.getShape().getShape(), name);
    if (dtype.isFloat()) {
      assertEquals(DataType.FLOAT32, loaded.getDataType(), name);
      float[] got = loaded.toFloatArray();
      float[] want = new float[v.size()];
      for (int i = 0; i < want.length; i++) {
        want[i] = (float) v.get(i).doubleValue();
      }
      assertArrayEquals(want, got, name);
    } else if (dtype == Dtype.BOOL) {
      assertEquals(DataType.BOOLEAN, loaded.getDataType(), name);
      boolean[] got = loaded.toBooleanArray();
      for (int i = 0; i < got.length; i++) {
        assertEquals(v.get(i).booleanValue(), got[i], name + "[" + i + "]");
      }
    } else {
      assertEquals(dtype.loadedType(), loaded.getDataType(), name);
      try (NDArray wide = loaded.toType(DataType.INT64, false)) {
        long[] got = wide.toLongArray();
        long[] want = new long[v.size()];
        for (int i = 0; i < want.length; i++) {
          want[i] = v.get(i).longValue();
        }
        assertArrayEquals(want, got, name);
      }
    }
  }

  /** Copies a folder (fixtures are read-only resources; tests that edit them work on a copy). */
  static void copyTree(Path from, Path to) {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * With -Dlopper.keepWritten=DIR, keeps a copy of what a test wrote so that
   * scripts/make_safetensors_fixtures.py --check DIR can read it with the Python library.
   */
  static void keep(Path written, String as) {
    String dir = System.getProperty("lopper.keepWritten");
    if (dir == null || dir.isBlank()) {
      return;
    }
    Path target = Path.of(dir).resolve(as);
    if (Files.isDirectory(written)) {
      copyTree(written, target);
      return;
    }
    try {
      Files.createDirectories(target.getParent());
      Files.copy(written, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
