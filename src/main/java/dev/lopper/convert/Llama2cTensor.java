package dev.lopper.convert;

/** The weights of a llama2.c checkpoint, named as run.c names them, with their (rows, cols). */
public enum Llama2cTensor {
  TOKEN_EMBEDDING(false, true),
  RMS_ATT(true, false),
  WQ(true, true),
  WK(true, true),
  WV(true, true),
  WO(true, true),
  RMS_FFN(true, false),
  W1(true, true),
  W2(true, true),
  W3(true, true),
  RMS_FINAL(false, false),
  FREQ_CIS_REAL(false, false),
  FREQ_CIS_IMAG(false, false),
  WCLS(false, true);

  /** One per layer (else one for the model). */
  final boolean perLayer;

  /** A matrix (version 2 stores these as Q8_0; norms and frequencies stay float32). */
  final boolean matrix;

  Llama2cTensor(boolean perLayer, boolean matrix) {
    this.perLayer = perLayer;
    this.matrix = matrix;
  }

  /** (rows, cols) in the file, row-major: nn.Linear's (out, in) for the matrices. */
  long[] shape(Llama2cHeader h) {
    long kv = (long) h.kvHeads() * h.headDim();
    return switch (this) {
      case TOKEN_EMBEDDING, WCLS -> new long[] {h.vocabSize(), h.dim()};
      case RMS_ATT, RMS_FFN, RMS_FINAL -> new long[] {h.dim()};
      case WQ, WO -> new long[] {h.dim(), h.dim()};
      case WK, WV -> new long[] {kv, h.dim()};
      case W1, W3 -> new long[] {h.hiddenDim(), h.dim()};
      case W2 -> new long[] {h.dim(), h.hiddenDim()};
      case FREQ_CIS_REAL, FREQ_CIS_IMAG -> new long[] {h.seqLen(), h.headDim() / 2};
    };
  }

  long count(Llama2cHeader h) {
    long n = 1;
    for (long d : shape(h)) {
      n *= d;
    }
    return n;
  }
}
