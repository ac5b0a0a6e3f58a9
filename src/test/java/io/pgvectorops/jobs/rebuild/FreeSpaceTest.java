package io.pgvectorops.jobs.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.jobs.FreeSpace;
import org.junit.jupiter.api.Test;

/** Free space is read only for a target on this machine (FullDiskTest reads it for real). */
class FreeSpaceTest {
  @Test
  void onlyALoopbackOrSocketTargetIsOnThisMachine() {
    assertThat(FreeSpace.loopback("jdbc:postgresql://127.0.0.1:5432/app")).isTrue();
    assertThat(FreeSpace.loopback("jdbc:postgresql://localhost/app?sslmode=require")).isTrue();
    assertThat(FreeSpace.loopback("jdbc:postgresql://[::1]:5432/app")).isTrue();
    assertThat(FreeSpace.loopback("jdbc:postgresql:///app")).isTrue();
    assertThat(FreeSpace.loopback("jdbc:postgresql://db.internal:5432/app")).isFalse();
    assertThat(FreeSpace.loopback("jdbc:postgresql://10.0.0.7/app")).isFalse();
    assertThat(FreeSpace.loopback("jdbc:postgresql://127.0.0.1,10.0.0.8/app")).isFalse();
    assertThat(FreeSpace.loopback("jdbc:postgresql://127.0.0.1:5432,10.0.0.8:5432/app")).isFalse();
  }
}
