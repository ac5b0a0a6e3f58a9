package io.pgvectorops.alert;

/** A way to deliver a notification. Throws when the receiver did not accept it. */
public interface Channel {
  /** "email" or "webhook:<name>": stored with each delivery. */
  String id();

  /**
   * @param json the payload as stored in the outbox (the body of a json webhook)
   */
  void send(NotificationPayload payload, String json) throws Exception;
}
