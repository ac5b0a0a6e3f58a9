package io.pgvectorops.jobs.regression;

import java.util.Arrays;

/**
 * The k smallest distances seen so far: a bounded max-heap, no boxing (millions of offers per run).
 */
final class TopK {
  private final double[] heap;
  private int size;

  TopK(int k) {
    heap = new double[k];
  }

  void offer(double d) {
    if (size < heap.length) {
      heap[size] = d;
      up(size++);
    } else if (heap.length > 0 && d < heap[0]) {
      heap[0] = d;
      down(0);
    }
  }

  /** The largest kept, or +infinity while fewer than k: anything farther cannot enter. */
  double bound() {
    return size < heap.length ? Double.POSITIVE_INFINITY : heap[0];
  }

  double[] sorted() {
    double[] out = Arrays.copyOf(heap, size);
    Arrays.sort(out);
    return out;
  }

  private void up(int i) {
    while (i > 0) {
      int parent = (i - 1) / 2;
      if (heap[parent] >= heap[i]) {
        return;
      }
      swap(i, parent);
      i = parent;
    }
  }

  private void down(int i) {
    while (true) {
      int l = 2 * i + 1;
      int r = l + 1;
      int largest = i;
      if (l < size && heap[l] > heap[largest]) {
        largest = l;
      }
      if (r < size && heap[r] > heap[largest]) {
        largest = r;
      }
      if (largest == i) {
        return;
      }
      swap(i, largest);
      i = largest;
    }
  }

  private void swap(int a, int b) {
    double t = heap[a];
    heap[a] = heap[b];
    heap[b] = t;
  }
}
