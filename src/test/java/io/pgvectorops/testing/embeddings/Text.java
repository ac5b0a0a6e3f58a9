package io.pgvectorops.testing.embeddings;

/**
 * One text of the real data set, with what an application would store beside its embedding.
 *
 * @param id its place in the set, from 1
 * @param source where it comes from: {@code wordnet:n:00001740} (part of speech and offset of the
 *     synset), or {@code fortunes:12}
 * @param kind what an application would filter on: noun, verb, adjective, adverb or fortune
 * @param text what is embedded
 */
public record Text(int id, String source, String kind, String text) {}
