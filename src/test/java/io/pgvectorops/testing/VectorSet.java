package io.pgvectorops.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test of the vector set: every job kind's work on pgvector's indexes. It runs on the host's
 * PostgreSQL 15 with pgvector 0.8.0 with everything else, and again on Debian unstable's PostgreSQL
 * 18 with pgvector 0.8.7 (the vector-set execution in pom.xml, PGVECTOR_OPS_TEST_SERVER = sid), so
 * that both the old library's precautions and their absence on today's are tested.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("vector")
public @interface VectorSet {}
