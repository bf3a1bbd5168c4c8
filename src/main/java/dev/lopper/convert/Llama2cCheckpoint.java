package dev.lopper.convert;

import static dev.lopper.convert.Llama2cTensor.FREQ_CIS_IMAG;
import static dev.lopper.convert.Llama2cTensor.FREQ_CIS_REAL;
import static dev.lopper.convert.Llama2cTensor.RMS_ATT;
import static dev.lopper.convert.Llama2cTensor.RMS_FFN;
import static dev.lopper.convert.Llama2cTensor.RMS_FINAL;
import static dev.lopper.convert.Llama2cTensor.TOKEN_EMBEDDING;
import static dev.lopper.convert.Llama2cTensor.WCLS;

import dev.lopper.LopperException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A llama2.c checkpoint opened for reading: its header, where each weight lies (the order of
 * llama2.c's export.py for the file's version) and the weights as float32, Q8_0 ones dequantised.
 * The file must be exactly as long as its header says; anything else is refused before a weight is
 * read.
 */
public final class Llama2cCheckpoint implements AutoCloseable {
  /** The matrices after the norms, in the order of versions 1 and 2. */
  private static final Llama2cTensor[] LAYER_MATRICES = {
    Llama2cTensor.WQ,
    Llama2cTensor.WK,
    Llama2cTensor.WV,
    Llama2cTensor.WO,
    Llama2cTensor.W1,
    Llama2cTensor.W2,
    Llama2cTensor.W3
  };

  private record Segment(long offset, long count, boolean quantized) {}

  private final Path file;
  private final FileChannel channel;
  private final Llama2cHeader header;
  private final Map<Llama2cTensor, List<Segment>> segments = new EnumMap<>(Llama2cTensor.class);

  private Llama2cCheckpoint(Path file, FileChannel channel, Llama2cHeader header) {
    this.file = file;
    this.channel = channel;
    this.header = header;
  }

  public static Llama2cCheckpoint open(Path file) {
    FileChannel ch;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new LopperException(file + ": file not found");
    } catch (IOException e) {
      throw new LopperException(file + ": cannot read: " + e.getMessage());
    }
    try {
      long size = ch.size();
      ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, Llama2cHeader.VERSIONED_BYTES));
      ch.read(head, 0);
      Llama2cCheckpoint c =
          new Llama2cCheckpoint(file, ch, Llama2cHeader.parse(head.flip(), file.toString(), size));
      long expected = c.layOut();
      if (expected != size) {
        throw new LopperException(
            file
                + ": a "
                + c.header
                + " checkpoint holds "
                + expected
                + " bytes, found "
                + size
                + " bytes");
      }
      return c;
    } catch (IOException e) {
      close(ch);
      throw new LopperException(file + ": cannot read: " + e.getMessage());
    } catch (RuntimeException e) {
      close(ch);
      throw e;
    }
  }

  public Llama2cHeader header() {
    return header;
  }

  public Path file() {
    return file;
  }

  /** Whether the file holds this weight (the frequencies only in version 0, WCLS when unshared). */
  public boolean has(Llama2cTensor t) {
    return segments.containsKey(t);
  }

  /** The weight of {@code layer} (0 for a weight of the whole model), row-major float32. */
  public float[] read(Llama2cTensor t, int layer) {
    List<Segment> list = segments.get(t);
    if (list == null || layer < 0 || layer >= list.size()) {
      throw new IllegalArgumentException(file + " has no " + t + " for layer " + layer);
    }
    Segment s = list.get(layer);
    int n = Math.toIntExact(s.count());
    float[] out = new float[n];
    if (!s.quantized()) {
      bytes(s.offset(), 4L * n).asFloatBuffer().get(out);
      return out;
    }
    ByteBuffer q = bytes(s.offset(), n);
    int group = header.groupSize();
    float[] scales = new float[n / group];
    bytes(s.offset() + n, 4L * scales.length).asFloatBuffer().get(scales);
    for (int i = 0; i < n; i++) {
      out[i] = q.get(i) * scales[i / group];
    }
    return out;
  }

  /** Fills {@link #segments} in the file's order and returns the size the file must have. */
  private long layOut() {
    long at = header.dataOffset();
    if (header.version() == 0) {
      at = add(TOKEN_EMBEDDING, at, false);
      at = add(RMS_ATT, at, false);
      for (Llama2cTensor t :
          new Llama2cTensor[] {
            Llama2cTensor.WQ, Llama2cTensor.WK, Llama2cTensor.WV, Llama2cTensor.WO
          }) {
        at = add(t, at, false);
      }
      at = add(RMS_FFN, at, false);
      for (Llama2cTensor t :
          new Llama2cTensor[] {Llama2cTensor.W1, Llama2cTensor.W2, Llama2cTensor.W3}) {
        at = add(t, at, false);
      }
      at = add(RMS_FINAL, at, false);
      at = add(FREQ_CIS_REAL, at, false);
      at = add(FREQ_CIS_IMAG, at, false);
    } else {
      boolean q = header.version() == 2;
      at = add(RMS_ATT, at, false);
      at = add(RMS_FFN, at, false);
      at = add(RMS_FINAL, at, false);
      at = add(TOKEN_EMBEDDING, at, q);
      for (Llama2cTensor t : LAYER_MATRICES) {
        at = add(t, at, q);
      }
    }
    if (!header.sharedClassifier()) {
      at = add(WCLS, at, header.version() == 2);
    }
    return at;
  }

  /** Places {@code t} (every layer's, one after another) at {@code at}; returns where it ends. */
  private long add(Llama2cTensor t, long at, boolean quantized) {
    List<Segment> list = new ArrayList<>();
    long count = t.count(header);
    long bytes = quantized ? count + 4 * (count / header.groupSize()) : 4 * count;
    for (int l = 0; l < (t.perLayer ? header.layers() : 1); l++) {
      list.add(new Segment(at, count, quantized));
      at += bytes;
    }
    segments.put(t, list);
    return at;
  }

  private ByteBuffer bytes(long offset, long length) {
    ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(length)).order(ByteOrder.LITTLE_ENDIAN);
    try {
      while (b.hasRemaining()) {
        if (channel.read(b, offset + b.position()) < 0) {
          throw new LopperException(file + ": ended early while reading the weights");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return b.flip().order(ByteOrder.LITTLE_ENDIAN);
  }

  @Override
  public void close() {
    close(channel);
  }

  private static void close(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // read-only: nothing is lost
    }
  }
}
