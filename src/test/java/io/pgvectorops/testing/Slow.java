package io.pgvectorops.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test of the slow set: whole daemons as processes, several clusters, crashes, restarts, a
 * browser. Failsafe runs these after the fast set (unit and single-database tests); {@code bin/test
 * --fast} leaves them out.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("slow")
public @interface Slow {}
