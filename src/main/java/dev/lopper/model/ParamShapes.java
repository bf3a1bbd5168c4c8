package dev.lopper.model;

import static dev.lopper.model.ParamNames.*;

import java.util.LinkedHashMap;
import java.util.Map;

/** The one place that derives every parameter's name and shape from a config. */
public final class ParamShapes {
  private ParamShapes() {}

  public static Map<String, long[]> of(ModelConfig c) {
    long d = c.hidden();
    Map<String, long[]> s = new LinkedHashMap<>();
    s.put(WTE, new long[] {c.vocabSize(), d});
    s.put(WPE, new long[] {c.maxPositions(), d});
    for (int l = 0; l < c.layers(); l++) {
      long ff = c.mlpWidth(l);
      s.put(ln1W(l), new long[] {d});
      s.put(ln1B(l), new long[] {d});
      s.put(qkvW(l), new long[] {3 * d, d});
      if (c.qkvBias()) {
        s.put(qkvB(l), new long[] {3 * d});
      }
      s.put(attnOutW(l), new long[] {d, d});
      s.put(attnOutB(l), new long[] {d});
      s.put(ln2W(l), new long[] {d});
      s.put(ln2B(l), new long[] {d});
      s.put(fcW(l), new long[] {ff, d});
      s.put(fcB(l), new long[] {ff});
      s.put(projW(l), new long[] {d, ff});
      s.put(projB(l), new long[] {d});
    }
    s.put(LN_F_W, new long[] {d});
    s.put(LN_F_B, new long[] {d});
    if (!c.tiedEmbeddings()) {
      s.put(LM_HEAD, new long[] {c.vocabSize(), d});
    }
    return s;
  }
}
