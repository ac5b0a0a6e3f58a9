package io.pgvectorops.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.ConfigurationParsingException;
import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Dropwizard's reading of config.yml, with its errors in the one form of every file error ({@link
 * YamlErrors}): "FILE: key 'targets[0].lockTimeout': expected a duration such as 30s, 15m or 2h,
 * got '1 fortnight'" instead of "has an error: * Failed to parse configuration at: … (through
 * reference chain: OpsConfiguration[…])".
 */
public final class OperatorConfigurationFactory<T> extends YamlConfigurationFactory<T> {
  public OperatorConfigurationFactory(
      Class<T> klass, Validator validator, ObjectMapper mapper, String propertyPrefix) {
    super(klass, validator, mapper, propertyPrefix);
  }

  @Override
  protected T build(JsonNode node, String path) throws IOException, ConfigurationException {
    try {
      return super.build(node, path);
    } catch (ConfigurationValidationException e) {
      List<String> problems = new ArrayList<>();
      for (ConstraintViolation<?> v : e.getConstraintViolations()) {
        String key = v.getPropertyPath().toString();
        // a rule of the whole file (@ValidationMethod) says its problem without a key
        boolean wholeFile =
            key.isEmpty()
                || v.getConstraintDescriptor().getAnnotation() instanceof ValidationMethod;
        problems.add(wholeFile ? v.getMessage() : "key '" + key + "': " + v.getMessage());
      }
      throw YamlErrors.error(path, problems.stream().sorted().toList());
    } catch (ConfigurationParsingException e) {
      if (e.getCause() instanceof Exception cause) {
        throw YamlErrors.error(path, List.of(YamlErrors.describe(cause, "", node)));
      }
      throw e;
    }
  }
}
