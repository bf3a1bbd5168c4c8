package dev.lopper.data;

import dev.lopper.LopperException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Train / validation / test documents: from separate files, or a seeded split of one corpus.
 *
 * <p>The split moves whole documents (so with {@link DocumentMode#LINES} it splits by lines): the
 * documents are put in the order of {@link Shuffles#permutation(int, long)} with the seed; the
 * first {@code round(validFraction * n)} of that order are validation, the next {@code
 * round(testFraction * n)} are test, the rest train. Each part keeps the corpus order of its
 * documents. The same seed and fractions always give the same split.
 */
public record CorpusSplit(List<Document> train, List<Document> validation, List<Document> test) {
  public CorpusSplit {
    train = List.copyOf(train);
    validation = List.copyOf(validation);
    test = List.copyOf(test);
  }

  /** Splits {@code documents} by the seeded rule above. */
  public static CorpusSplit split(
      List<Document> documents, double validFraction, double testFraction, long seed) {
    if (!(validFraction >= 0 && testFraction >= 0 && validFraction + testFraction < 1)) {
      throw new LopperException(
          "split fractions: expected validation >= 0, test >= 0 and validation + test < 1, found "
              + validFraction
              + " and "
              + testFraction);
    }
    int n = documents.size();
    int nValid = (int) Math.round(validFraction * n);
    int nTest = (int) Math.round(testFraction * n);
    if (n - nValid - nTest < 1) {
      throw new LopperException(
          "split: " + n + " documents leave none for training; use smaller fractions");
    }
    int[] order = Shuffles.permutation(n, seed);
    int[] part = new int[n]; // 0 train, 1 validation, 2 test
    for (int k = 0; k < nValid; k++) {
      part[order[k]] = 1;
    }
    for (int k = nValid; k < nValid + nTest; k++) {
      part[order[k]] = 2;
    }
    List<List<Document>> parts =
        Arrays.asList(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (int i = 0; i < n; i++) {
      parts.get(part[i]).add(documents.get(i));
    }
    return new CorpusSplit(parts.get(0), parts.get(1), parts.get(2));
  }
}
