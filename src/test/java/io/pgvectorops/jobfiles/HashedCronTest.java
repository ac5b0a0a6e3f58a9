package io.pgvectorops.jobfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quartz.CronExpression;

class HashedCronTest {
  @Test
  void eachFormBecomesAValueOfItsFieldTheSameForTheSamePair() throws Exception {
    String[] forms = {"0 H/5 * * * ?", "H H H * * ?", "0 H(10-20) H(1-3)/2 ? * H", "0 0 0 H * ?"};
    for (String form : forms) {
      for (int i = 0; i < 50; i++) {
        String seed = "job@target-" + i;
        String plain = HashedCron.expand(form, seed);
        assertThat(plain).isEqualTo(HashedCron.expand(form, seed)).doesNotContain("H");
        assertThat(CronExpression.isValidExpression(plain)).as(plain).isTrue();
      }
    }
    String[] f = HashedCron.expand("H H(10-20) H(1-3)/2 H * ?", "a@b").split(" ");
    assertThat(Integer.parseInt(f[0])).isBetween(0, 59);
    assertThat(Integer.parseInt(f[1])).isBetween(10, 20);
    assertThat(f[2]).matches("[12]-3/2");
    assertThat(Integer.parseInt(f[3])).isBetween(1, 28);
  }

  @Test
  void twentyPairsSpreadOverTheStepsOffsets() {
    Set<String> offsets = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      offsets.add(HashedCron.expand("0 H/5 * * * ?", "check@t" + i).split(" ")[1]);
    }
    assertThat(offsets).hasSizeGreaterThanOrEqualTo(4);
  }

  @Test
  void plainExpressionsAndDayNamesAreLeftAlone() {
    assertThat(HashedCron.expand("0 */5 * * * ?", "x")).isEqualTo("0 */5 * * * ?");
    assertThat(HashedCron.expand("0 0 3 ? * THU", "x")).isEqualTo("0 0 3 ? * THU");
    assertThat(HashedCron.isHashed("0 0 3 ? * THU")).isFalse();
    assertThat(HashedCron.isHashed("0 H 3 * * ?")).isTrue();
  }

  @Test
  void aRangeOutsideItsFieldOrAStepOfZeroIsNamed() {
    assertThatThrownBy(() -> HashedCron.expand("0 H(0-70) * * * ?", "x"))
        .hasMessageContaining("minutes")
        .hasMessageContaining("0-59");
    assertThatThrownBy(() -> HashedCron.expand("0 H/0 * * * ?", "x"))
        .hasMessageContaining("minutes: the step of H/0");
  }
}
