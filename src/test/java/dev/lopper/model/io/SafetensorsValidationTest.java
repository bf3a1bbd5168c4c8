package dev.lopper.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.lopper.LopperException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged and hostile files: each is refused with one line naming file, tensor and problem. */
class SafetensorsValidationTest {
  @TempDir Path tmp;

  /** A file with the given header length, header text and data section size (zeros). */
  private Path file(long headerLength, String header, int dataBytes) throws IOException {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(headerLength).put(h);
    Path p = tmp.resolve("model.safetensors");
    Files.write(p, b.array());
    return p;
  }

  private Path file(String header, int dataBytes) throws IOException {
    return file(header.getBytes(StandardCharsets.UTF_8).length, header, dataBytes);
  }

  private String refused(Path p) {
    LopperException e = assertThrows(LopperException.class, () -> SafetensorsFile.open(p));
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    assertTrue(e.getMessage().startsWith(p.toString() + ": "), e.getMessage());
    return e.getMessage();
  }

  @Test
  void truncatedFile() throws IOException {
    Path good =
        file(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[250],\"data_offsets\":[8,1008]}}",
            1008);
    byte[] bytes = Files.readAllBytes(good);
    Files.write(good, Arrays.copyOf(bytes, bytes.length - 8));
    assertEquals(
        good
            + ": tensor b: data_offsets end 1008 is past the end of the file (data"
            + " section is 1000 bytes); the file may be truncated",
        refused(good));
  }

  @Test
  void truncatedInsideTheHeader() throws IOException {
    Path p = file(1000, "{\"a\":{\"dtype\":\"F32\"", 0);
    assertEquals(
        p
            + ": header length 1000 is past the end of the file (file is 27 bytes); the"
            + " file may be truncated or not a safetensors file",
        refused(p));
  }

  @Test
  void offsetsPastTheEnd() throws IOException {
    Path p =
        file(
            "{\"h.0.attn.c_attn.weight\":{\"dtype\":\"F32\",\"shape\":[30864],"
                + "\"data_offsets\":[0,123456]}}",
            1000);
    assertEquals(
        p
            + ": tensor h.0.attn.c_attn.weight: data_offsets end 123456 is past the end of"
            + " the file (data section is 1000 bytes); the file may be truncated",
        refused(p));
  }

  @Test
  void shorterThanTheLengthField() throws IOException {
    Path p = tmp.resolve("short.safetensors");
    Files.write(p, new byte[] {1, 2, 3});
    assertEquals(
        p
            + ": file is 3 bytes, too short for a safetensors file (it starts with an"
            + " 8-byte header length); the file may be truncated",
        refused(p));
  }

  @Test
  void headerLengthOverTheLimit() throws IOException {
    Path p = file(1L << 40, "{}", 0);
    assertTrue(refused(p).contains("header length 1099511627776 is over the 100000000-byte limit"));
    Path negative = file(-1L, "{}", 0);
    assertTrue(refused(negative).contains("header length 18446744073709551615 is over the"));
  }

  @Test
  void headerNotJson() throws IOException {
    Path p = file("{\"a\": not json}", 0);
    String m = refused(p);
    assertTrue(m.startsWith(p + ": header is not valid JSON ("), m);
    assertTrue(m.endsWith("); this is not a safetensors file or it is corrupt"), m);
  }

  @Test
  void headerNotAnObject() throws IOException {
    Path p = file("[1, 2]  ", 0);
    assertEquals(p + ": header is not a JSON object (found an array)", refused(p));
  }

  @Test
  void duplicateTensorNames() throws IOException {
    String t = "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}";
    Path p = file("{\"a\":" + t + ",\"a\":" + t + "}", 4);
    assertTrue(refused(p).contains("Duplicate field 'a'"));
  }

  @Test
  void unknownDtype() throws IOException {
    Path p = file("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[4],\"data_offsets\":[0,4]}}", 4);
    assertEquals(
        p
            + ": tensor w: dtype \"F8_E4M3\" is not supported (supported: F64, F32, F16,"
            + " BF16, I64, I32, I16, I8, U8, BOOL)",
        refused(p));
  }

  @Test
  void sizeDisagreesWithShape() throws IOException {
    Path p = file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,8]}}", 8);
    assertEquals(
        p
            + ": tensor w: data_offsets [0, 8] hold 8 bytes, but shape [2, 2] of F32 needs"
            + " 16 bytes",
        refused(p));
  }

  @Test
  void negativeOrFractionalShape() throws IOException {
    Path p = file("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1,2],\"data_offsets\":[0,8]}}", 8);
    assertEquals(
        p + ": tensor w: shape: expected an array of non-negative integers, found [-1,2]",
        refused(p));
    Path q = file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}", 8);
    assertTrue(refused(q).contains("shape: expected an array of non-negative integers"));
  }

  @Test
  void shapeOverflow() throws IOException {
    Path p =
        file(
            "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],"
                + "\"data_offsets\":[0,8]}}",
            8);
    assertEquals(p + ": tensor w: shape [4294967296, 4294967296] is too large", refused(p));
  }

  @Test
  void badOffsets() throws IOException {
    Path p = file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", 8);
    assertEquals(p + ": tensor w: data_offsets [8, 4]: begin is after end", refused(p));
    Path q = file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4]}}", 8);
    assertEquals(
        q
            + ": tensor w: data_offsets: expected an array of 2 non-negative integers,"
            + " found [4]",
        refused(q));
    Path r = file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 8);
    assertEquals(
        r
            + ": tensor w: data_offsets: expected an array of 2 non-negative integers,"
            + " found nothing",
        refused(r));
  }

  @Test
  void overlappingTensors() throws IOException {
    Path p =
        file(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
            12);
    assertEquals(
        p
            + ": tensor b: data_offsets [4, 12] overlap those of tensor a [0, 8]; the file"
            + " is corrupt",
        refused(p));
  }

  @Test
  void metadataMustBeStrings() throws IOException {
    Path p = file("{\"__metadata__\":{\"format\":\"pt\",\"step\":12}}", 0);
    assertEquals(
        p + ": __metadata__: value of \"step\" is a number, expected a string", refused(p));
  }

  @Test
  void missingFileAndFolder() {
    Path p = tmp.resolve("nothing.safetensors");
    assertEquals(
        p + ": file not found",
        assertThrows(LopperException.class, () -> SafetensorsFile.open(p)).getMessage());
    assertEquals(
        tmp + ": is a folder, expected a .safetensors file",
        assertThrows(LopperException.class, () -> SafetensorsFile.open(tmp)).getMessage());
  }

  @Test
  void missingTensorAndWrongShape() throws IOException {
    Path p =
        file(
            "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"h.0.attn.c_attn.weight\":"
                + "{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}}",
            24);
    try (SafetensorsFile f = SafetensorsFile.open(p);
        NDManager m = NDManager.newBaseManager()) {
      assertEquals(
          p
              + ": tensor h.0.mlp.c_fc.weight not found (the file has 1 tensors, e.g."
              + " h.0.attn.c_attn.weight)",
          assertThrows(LopperException.class, () -> f.load("h.0.mlp.c_fc.weight", m)).getMessage());
      assertEquals(
          p
              + ": tensor h.0.attn.c_attn.weight: expected shape [2, 4] (from config.json),"
              + " found [2, 3]",
          assertThrows(
                  LopperException.class,
                  () -> f.load("h.0.attn.c_attn.weight", m, new long[] {2, 4}, "config.json"))
              .getMessage());
      assertEquals(
          p + ": tensor h.0.attn.c_attn.weight: expected shape [3, 2], found [2, 3]",
          assertThrows(
                  LopperException.class,
                  () -> f.load("h.0.attn.c_attn.weight", m, new long[] {3, 2}))
              .getMessage());
    }
  }

  @Test
  void acceptsGapsAndPaddingLikeTheReference() throws IOException {
    // Space padding after the JSON and unused bytes between tensors are harmless.
    Path p =
        file(
            "{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[4,6]},"
                + "\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[6,6]}}    ",
            8);
    try (SafetensorsFile f = SafetensorsFile.open(p);
        NDManager m = NDManager.newBaseManager()) {
      assertEquals(2, f.tensors().size());
      assertEquals(2, f.load("a", m).size());
      assertEquals(0, f.load("e", m).size());
      assertTrue(f.metadata().isEmpty());
    }
  }
}
