package io.pgvectorops.jobs;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A job parameter that names another target (a lab copy, say): the job files are refused at load,
 * with the key and the configured names, when it names none; a run that finds it gone since (a
 * reload) says so. The job reaches it through {@link JobServices#target}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface TargetName {}
