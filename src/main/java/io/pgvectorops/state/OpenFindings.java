package io.pgvectorops.state;

import java.util.List;

/** The findings still open, as a kind reads them to carry or compare what earlier runs found. */
public interface OpenFindings {
  /** Open findings of this kind on the target. */
  List<FindingRecord> openOfKind(String kind, String target);
}
